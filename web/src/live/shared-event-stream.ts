import { SharedEventStream, type SocketLike } from './event-stream';

function browserSocket(): SocketLike {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocket(`${scheme}://${location.host}/api/events`) as unknown as SocketLike;
}

/** The stream every part of the UI shares. */
export const eventStream = new SharedEventStream(browserSocket);
