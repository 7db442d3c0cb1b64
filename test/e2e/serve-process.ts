import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** A running `jovian serve` on a free loopback port, as a user starts it. */
export interface ServeProcess {
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** The login URL it printed. */
  readonly loginUrl: string;
  readonly token: string;
  /** Everything it printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s; resolves to its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node bin/jovian.js <globalArgs> serve --port 0 <serveArgs>` and waits (at most 10 s) for
 * the login URL.
 * @throws with its output when it exits or prints no login URL in time.
 */
export async function startServe(
  globalArgs: readonly string[],
  serveArgs: readonly string[] = [],
): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'jovian.js'), ...globalArgs, 'serve', '--port', '0', ...serveArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', JOVIAN_DATA_DIR: undefined, JOVIAN_PLUGINS_DIR: undefined },
    },
  );
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const stop = () => stopChild(child);
  for (let i = 0; i < 400 && child.exitCode === null && !/login: \S+/.test(out); i++)
    await new Promise((resolve) => setTimeout(resolve, 25));
  const login = /login: ((http:\/\/127\.0\.0\.1:\d+)\/login\?token=([0-9a-f]{64}))/.exec(out);
  if (!login) {
    await stop();
    throw new Error(`jovian serve printed no login URL:\n${out}`);
  }
  return { loginUrl: login[1]!, base: login[2]!, token: login[3]!, output: () => out, stop };
}

async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  const [code] = (await exited) as [number | null];
  clearTimeout(timer);
  return code;
}

const DEMO_DATA = '.jovian-demo';

/**
 * The global options `npm start` gives `jovian serve` (read from package.json), with its data dir
 * `.jovian-demo` moved to `dataDir`.
 * @throws when the start script is not `npm run build && node bin/jovian.js … serve`.
 */
export async function npmStartArgs(dataDir: string): Promise<string[]> {
  const start = (
    JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start;
  const command = /^npm run build && node bin\/jovian\.js (.+) serve$/.exec(start);
  if (!command) throw new Error(`npm start should build, then run \`jovian … serve\`; it runs: ${start}`);
  const args = command[1]!.split(' ');
  if (!args.includes(DEMO_DATA)) throw new Error(`npm start should keep its data in ${DEMO_DATA}: ${start}`);
  return args.map((arg) => (arg === DEMO_DATA ? dataDir : arg));
}
