/**
 * Shared by the benchmarks of the isolated runtimes (worker, process): a temporary folder of plugins
 * for a host, and the raw mechanisms they are compared with — a bare worker and a bare forked child
 * that echo every message back over the same channel Jovian uses (a MessagePort, Node's IPC with
 * `serialization: 'advanced'`). The raw scripts post one `'ready'` message once running, which is
 * what "until its first message" means in the start-up comparisons.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createHost, type HookMap, type PluginHost } from '../../src/index.js';
// Not exported by src/runtimes/index.ts: imported from the process runtime itself so that the raw child
// gets exactly the environment a plugin process gets.
import { scrubbedEnv } from '../../src/runtimes/process/scrubbed-env.js';

export interface IsolatedPlugin {
  readonly id: string;
  readonly runtime: 'worker' | 'process';
  /** The entry module (ESM source). */
  readonly code: string;
  /** Hooks the plugin declares in contributes.hooks. */
  readonly hooks?: readonly string[];
}

export interface BenchFolder {
  readonly root: string;
  readonly pluginsDir: string;
  readonly dataDir: string;
  /** A bare worker script that echoes every message (and posts 'ready' once). */
  readonly rawWorkerFile: string;
  /** A bare child script that echoes every IPC message (and sends 'ready' once). */
  readonly rawChildFile: string;
  cleanup(): void;
}

/** The same echo loop in both raw scripts: receive, post back. Nothing else is loaded. */
const RAW_WORKER = `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (message) => parentPort.postMessage(message));
parentPort.postMessage('ready');
`;
const RAW_CHILD = `process.on('message', (message) => process.send(message));
process.send('ready');
`;

/** Writes `plugins` (plugin.yaml as JSON, which YAML reads) and the raw scripts into a fresh folder. */
export function createBenchFolder(prefix: string, plugins: readonly IsolatedPlugin[]): BenchFolder {
  const root = mkdtempSync(join(tmpdir(), `jovian-bench-${prefix}-`));
  const pluginsDir = join(root, 'plugins');
  for (const plugin of plugins) {
    const dir = join(pluginsDir, plugin.id);
    mkdirSync(dir, { recursive: true });
    const manifest = {
      id: plugin.id,
      type: 'tool',
      version: '1.0.0',
      engines: { jovian: '*' },
      main: 'index.mjs',
      runtime: plugin.runtime,
      ...(plugin.hooks ? { contributes: { hooks: plugin.hooks } } : {}),
    };
    writeFileSync(join(dir, 'plugin.yaml'), JSON.stringify(manifest, null, 2));
    writeFileSync(join(dir, 'index.mjs'), plugin.code);
  }
  const rawWorkerFile = join(root, 'raw-worker.mjs');
  const rawChildFile = join(root, 'raw-child.mjs');
  writeFileSync(rawWorkerFile, RAW_WORKER);
  writeFileSync(rawChildFile, RAW_CHILD);
  return {
    root,
    pluginsDir,
    dataDir: join(root, 'data'),
    rawWorkerFile,
    rawChildFile,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A started host over `folder` whose plugins run in the runtime their manifest names. The default
 * isolation policy raises unsigned plugins (all of these) to `process`; the bench plugins are listed in
 * `isolation.allow` so that a `runtime: worker` plugin is measured in a worker.
 */
export async function startBenchHost<H extends HookMap>(
  folder: BenchFolder,
  plugins: readonly IsolatedPlugin[],
  hooks?: H,
): Promise<PluginHost<H>> {
  const host = createHost<H>({
    hooks,
    pluginDirs: [folder.pluginsDir],
    dataDir: folder.dataDir,
    manifestCache: false,
    isolation: { allow: plugins.map((p) => p.id) },
  });
  await host.start();
  return host;
}

/**
 * Fails when `id` is not active in `runtime` (a policy or default that moved it would make the case
 * measure something else than it says).
 */
export function assertRuntime(
  host: PluginHost<HookMap>,
  id: string,
  runtime: IsolatedPlugin['runtime'],
): void {
  const record = host.record(id);
  const actual = record?.manifest?.runtime;
  const instance = record?.active?.instance;
  if (actual !== runtime || !instance || (runtime === 'process') !== (instance.pid !== undefined))
    throw new Error(`plugin \`${id}\` should be active in a ${runtime}; it is ${record?.state} in ${actual}`);
}

/** A raw echo peer: one outstanding round trip at a time, or a window of them. */
export interface RawPeer {
  /** Sends `message` and resolves with the echo (replies come back in order). */
  roundTrip<T>(message: T): Promise<T>;
  close(): Promise<void>;
}

interface Endpoint {
  post(message: unknown): void;
  on(listener: (message: unknown) => void): void;
}

/**
 * Echoes come back in the order sent over both channels, so a FIFO of resolvers is all the matching
 * a raw peer needs — the floor any request/response protocol is compared with. With `coalesce`, the
 * messages sent in one tick leave as one array (flushed in a microtask) and an array that comes back
 * resolves each of its entries: the ceiling of a channel that batches.
 */
function peerOver(
  endpoint: Endpoint,
  close: () => Promise<void>,
  ready: Promise<void>,
  coalesce = false,
): RawPeer & {
  ready: Promise<void>;
} {
  const waiting: ((message: unknown) => void)[] = [];
  let head = 0;
  const deliver = (message: unknown) => {
    const resolve = waiting[head];
    if (!resolve) return;
    waiting[head++] = undefined as never;
    if (head > 1024 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
    resolve(message);
  };
  endpoint.on((message) => {
    if (coalesce && Array.isArray(message)) for (const one of message) deliver(one);
    else deliver(message);
  });
  let queue: unknown[] = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    endpoint.post(batch);
  };
  return {
    ready,
    roundTrip<T>(message: T): Promise<T> {
      return new Promise<T>((resolve) => {
        waiting.push(resolve as (message: unknown) => void);
        if (!coalesce) endpoint.post(message);
        else if (queue.push(message) === 1) queueMicrotask(flush);
      });
    },
    close,
  };
}

/**
 * A bare worker running the raw echo script; `ready` resolves at its first message. `coalesce` batches
 * the messages of one tick into one post (see peerOver).
 */
export function startRawWorker(
  file: string,
  options: { coalesce?: boolean } = {},
): RawPeer & { ready: Promise<void>; worker: Worker } {
  const worker = new Worker(file);
  let started = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const listeners: ((message: unknown) => void)[] = [];
  worker.on('message', (message) => {
    if (!started && message === 'ready') {
      started = true;
      markReady();
      return;
    }
    for (const listener of listeners) listener(message);
  });
  const peer = peerOver(
    { post: (m) => worker.postMessage(m), on: (l) => void listeners.push(l) },
    async () => void (await worker.terminate()),
    ready,
    options.coalesce === true,
  );
  return { ...peer, worker };
}

/**
 * A bare child forked with advanced serialization running the raw echo script. It gets the environment
 * a plugin process gets (scrubbed) and piped output, as Jovian's fork does: the host's environment may
 * hold start-up work of its own (NODE_EXTRA_CA_CERTS makes every Node process read a CA bundle, ~80 ms
 * here), which would be charged to the raw side only.
 */
export function startRawChild(file: string): RawPeer & { ready: Promise<void>; child: ChildProcess } {
  const child = fork(file, [], {
    serialization: 'advanced',
    env: scrubbedEnv(),
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  let started = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const listeners: ((message: unknown) => void)[] = [];
  child.on('message', (message) => {
    if (!started && message === 'ready') {
      started = true;
      markReady();
      return;
    }
    for (const listener of listeners) listener(message);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const peer = peerOver(
    { post: (m) => child.send(m as never), on: (l) => void listeners.push(l) },
    async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    ready,
  );
  return { ...peer, child };
}

/**
 * Runs `total` calls with at most `window` in flight (a new one starts as each finishes): the load
 * of a throughput comparison, the same for every subject.
 */
export async function windowed(
  total: number,
  window: number,
  call: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total) await call(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, total) }, lane));
}

/** Direct children of this process (every thread's `children` list, Linux only). */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync('/proc/self/task')) {
    try {
      const text = readFileSync(`/proc/self/task/${task}/children`, 'utf8').trim();
      if (text) pids.push(...text.split(/\s+/).map(Number));
    } catch {
      // the thread ended meanwhile
    }
  }
  return [...new Set(pids)];
}

/** Resident set of a process in KiB (`VmRSS` of /proc/<pid>/status), 0 when it is gone. */
export function rssKiB(pid: number | 'self'): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resolves after `ms`: lets start-up work settle before memory is read. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A small object, as a typical run() input or output (a few fields, a short array). */
export function smallObject(n: number): { op: string; n: number; text: string; tags: string[]; ok: boolean } {
  return { op: 'echo', n, text: 'hello from the bench', tags: ['a', 'b', 'c'], ok: true };
}

/** A host with one active `echo` plugin (run returns its input) in `runtime`, and its RPC port. */
export async function startEchoPlugin(prefix: string, runtime: 'worker' | 'process') {
  const plugins = [{ id: 'echo', runtime, code: 'export default { run: (input) => input };\n' }] as const;
  const folder = createBenchFolder(prefix, plugins);
  const host = await startBenchHost(folder, plugins);
  await host.activate('echo');
  assertRuntime(host, 'echo', runtime);
  const guest = host.record('echo')?.active?.instance.guest;
  if (!guest) throw new Error('the echo plugin is not active');
  return { folder, host, guest };
}
