import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { isJovianError, JovianError } from '../../errors.js';
import { openGuestChannel, welcomeGuest } from '../guest-channel.js';
import { attachOutput } from '../output.js';
import { ndjsonTransport } from '../rpc/ndjson-transport.js';
import { exitReasonOf, PROTOCOL_METHODS } from '../rpc/protocol.js';
import type { InstanceExit, PluginInstance, Runtime, RuntimeLaunch } from '../runtime.js';
import { resolveCommand } from './command-line.js';
import { scrubbedEnv } from './scrubbed-env.js';

/** After SIGTERM, how long a plugin has to exit before SIGKILL. */
const TERMINATE_GRACE_MS = 2_000;
/** How long a program that closed its stdout has to exit before it is killed. */
const EXIT_GRACE_MS = 1_000;
/** How long to wait for the last stderr lines of a program that ended before saying hello. */
const LAST_WORDS_MS = 1_000;

/**
 * Runs a plugin written in any language: the manifest's `command` is started in its own process and
 * speaks the plugin protocol as newline-delimited JSON on stdin/stdout (docs/protocol.md); each line
 * it writes to stderr goes to its log. Its environment is scrubbed and it runs in its data folder, but
 * — unlike Node plugins, which run under Node's permission model — nothing stops the program itself
 * from opening files or connections: only what it does through the protocol (ctx) is checked against
 * its permissions. The process leads its own process group, so stopping it stops what it started.
 */
export const commandRuntime: Runtime = {
  kind: 'process',
  async load(launch: RuntimeLaunch): Promise<PluginInstance> {
    const label = `plugin \`${launch.manifest.id}\``;
    const env = scrubbedEnv();
    const command = await resolveCommand(launch.manifest.command ?? [], {
      pluginDir: launch.dir,
      searchPath: env.PATH,
      label,
    });
    // The data folder is the process's working folder: it must exist before the spawn.
    await mkdir(launch.paths.data, { recursive: true });
    const child = spawn(command.file, command.args, {
      cwd: launch.paths.data,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const signal = signaller(child);
    /** Why the host stopped the process, when it did: reported instead of "killed by SIGKILL". */
    let stopped: { readonly reason: string; readonly error?: JovianError } | undefined;
    let disposing = false;
    const ended = watchChild(child);
    const output = attachOutput(undefined, child.stderr, launch.output);

    const transport = ndjsonTransport(child.stdout, child.stdin, {
      endReason: 'the program closed its stdout',
      onProtocolError: (error) => {
        stopped ??= { reason: `broke the protocol: ${error.message}`, error };
        launch.output?.('error', `${label} broke the protocol: ${error.message}; stopping it`);
      },
    });
    const endpoint = openGuestChannel(transport, launch, label, (reason) => {
      stopped ??= { reason };
      signal('SIGKILL');
    });
    // A program whose channel is gone can do nothing useful any more. After a protocol error it is
    // stopped at once; one that closed its stdout is usually exiting, and is stopped if it does not.
    endpoint.onClose(() => {
      if (disposing) return;
      if (stopped) {
        signal('SIGKILL');
        return;
      }
      const timer = setTimeout(() => {
        stopped ??= { reason: 'was stopped: it closed its stdout but kept running' };
        signal('SIGKILL');
      }, EXIT_GRACE_MS);
      void ended.exit.then(() => clearTimeout(timer));
    });
    child.once('error', (error) => endpoint.close(`\`${command.file}\` could not run: ${error.message}`));

    try {
      await welcomeGuest(endpoint, launch, label, { capabilities: ['cancel', 'ping'] });
    } catch (error) {
      signal('SIGKILL');
      throw await beforeHelloError(error, label, stopped?.reason, ended, output);
    }

    return {
      guest: endpoint,
      enforcesCallDeadlines: true,
      pid: child.pid,
      tapFunction: () => undefined,
      onExit: (listener) =>
        void ended.exit.then((end) =>
          listener({
            code: end.code,
            signal: end.signal,
            reason: stopped?.reason ?? describeEnd(end),
            error: stopped?.error,
            output: output.tail(),
          } satisfies InstanceExit),
        ),
      async dispose() {
        disposing = true;
        stopped ??= { reason: 'was stopped by the host' };
        endpoint.notify(PROTOCOL_METHODS.shutdown);
        endpoint.close('stopped by the host');
        if (!hasExited(child)) {
          signal('SIGTERM');
          const killer = setTimeout(() => signal('SIGKILL'), TERMINATE_GRACE_MS);
          await ended.exit;
          clearTimeout(killer);
        }
      },
    };
  },
};

interface End {
  readonly code: number | null;
  readonly signal: string | null;
  /** Why the program could not be started, when it could not. */
  readonly startError?: string;
}

interface ChildEnd {
  /** The process ended (or could not start). */
  readonly exit: Promise<End>;
  /** Its output streams are closed too: every line it wrote has been read. */
  readonly closed: Promise<void>;
}

function watchChild(child: ChildProcess): ChildEnd {
  const exit = new Promise<End>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, startError: error.message }));
  });
  const closed = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  return { exit, closed };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Sends a signal to the plugin's process group (the program and what it started). */
function signaller(child: ChildProcess): (signal: NodeJS.Signals) => void {
  return (signal) => {
    if (hasExited(child) || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  };
}

function describeEnd({ code, signal, startError }: End): string {
  if (startError !== undefined) return `could not be started: ${startError}`;
  if (signal) return `killed by ${signal}`;
  const named = exitReasonOf(code);
  if (named === 'normal') return 'exited normally';
  return named ? `exited with code ${code} (${named})` : `exited with code ${code}`;
}

/**
 * A program that ends before saying hello (a missing interpreter module, a syntax error…) is reported
 * with its exit and its last stderr lines, which usually say why.
 */
async function beforeHelloError(
  error: unknown,
  label: string,
  stoppedBecause: string | undefined,
  ended: ChildEnd,
  output: { tail(): string[] },
): Promise<unknown> {
  if (!isJovianError(error) || error.code !== 'JOVIAN_E_RUNTIME_CLOSED') return error;
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([
    ended.closed.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), LAST_WORDS_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!gone) return error;
  const end = await ended.exit;
  const last = output.tail().slice(-5).join('\n');
  return new JovianError(
    'JOVIAN_E_ACTIVATION_FAILED',
    `${label} ${stoppedBecause ?? describeEnd(end)} before saying hello${last ? `:\n${last}` : ''}`,
    {
      hint: 'run its command by hand from the plugin folder to see why it stops; it must send $/hello first (docs/protocol.md)',
      cause: error,
    },
  );
}
