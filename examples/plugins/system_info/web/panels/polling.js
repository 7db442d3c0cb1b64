const running = new WeakMap();

/** Calls `refresh` now and every `everyMs` until `stopPolling(element)`. */
export function startPolling(element, refresh, everyMs) {
  refresh();
  running.set(element, setInterval(refresh, everyMs));
}

/** Stops the polling of `element` and empties it: what `unmount` does. */
export function stopPolling(element) {
  clearInterval(running.get(element));
  running.delete(element);
  element.replaceChildren();
}
