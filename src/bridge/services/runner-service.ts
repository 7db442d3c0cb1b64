import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls, RunOptions, RunResult } from '../../runtimes/index.js';
import { decideCommand, permissionDenied } from '../../security/index.js';
import { authorisePath } from './fs-service.js';
import type { ServiceScope } from './service-scope.js';

export interface RunnerLimits {
  readonly defaultTimeoutMs: number;
  /** Cap on `options.timeoutMs`. */
  readonly maxTimeoutMs: number;
  /** Between SIGTERM and SIGKILL once the deadline has passed. */
  readonly killGraceMs: number;
  /** Per stream (stdout, stderr). */
  readonly maxOutputBytes: number;
}

export const RUNNER_LIMITS: RunnerLimits = Object.freeze({
  defaultTimeoutMs: 60_000,
  maxTimeoutMs: 10 * 60_000,
  killGraceMs: 2_000,
  maxOutputBytes: 1024 * 1024,
});

export interface RunnerServiceOptions {
  readonly limits?: Partial<RunnerLimits>;
}

/**
 * The only variables a command inherits from the host: what programs need to find things and speak
 * the right language — never tokens, keys or the host's own configuration.
 */
const KEPT_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TERM'] as const;
/** Also kept: `LC_*` locale variables, and on Windows what processes cannot start without. */
const KEPT_ENV_PATTERN = /^(LC_[A-Z]+|SYSTEMROOT|SYSTEMDRIVE|WINDIR|COMSPEC|PATHEXT|TEMP|TMP)$/i;

/**
 * `ctx.runner.run`: runs a command the plugin's run_commands grant allows.
 * - No shell: `args` reach the program as they are, never interpreted (`$(…)`, `;`, globs stay text).
 * - The working folder (`options.cwd`, absolute or relative to the project folder) is judged as an
 *   fs_read target and audited; by default it is the plugin's data folder.
 * - The environment is scrubbed to PATH, HOME, USER, LANG, LC_*, TZ, TMPDIR, TERM (and the Windows
 *   essentials): no host secrets. A bare command name is looked up on that PATH.
 * - Deadline: `options.timeoutMs` (default 60 s, at most 10 min); then SIGTERM, and SIGKILL 2 s later;
 *   the result says `timedOut: true`. Processes the command itself started are not tracked.
 * - stdout and stderr are each kept up to 1 MiB (`truncated: true` when either was cut); decoded as
 *   UTF-8. `options.input` is written to stdin, which is then closed.
 * A non-zero exit or a signal is a result, not an error.
 * @throws JOVIAN_E_PERMISSION_DENIED (command or working folder), JOVIAN_E_FS_NOT_FOUND (working
 * folder), JOVIAN_E_RUNNER_FAILED (the command could not start)
 */
export function createRunnerService(
  scope: ServiceScope,
  options: RunnerServiceOptions = {},
): Pick<Handlers<HostCalls>, 'runner.run'> {
  const limits: RunnerLimits = { ...RUNNER_LIMITS, ...options.limits };
  return {
    'runner.run': async (command, args = [], runOptions = {}) => {
      const argv = Array.isArray(args) ? args.map(String) : [];
      const decision = decideCommand(scope.permissions.run_commands, command);
      scope.audit.record({
        plugin: scope.pluginId,
        action: 'runner.run',
        target: [command, ...argv].join(' '),
        decision: decision.allowed ? 'allow' : 'deny',
        permission: 'run_commands',
        reason: decision.reason,
      });
      if (!decision.allowed) throw permissionDenied(decision, scope.pluginId);
      const cwd = await workingFolder(scope, runOptions.cwd);
      return run(scope.pluginId, command, argv, cwd, runOptions, limits);
    },
  };
}

async function workingFolder(scope: ServiceScope, requested: string | undefined): Promise<string> {
  if (requested === undefined) {
    await mkdir(scope.dataDir, { recursive: true });
    return scope.dataDir;
  }
  return authorisePath(scope, 'fs_read', requested, 'runner.cwd');
}

/** The host's environment reduced to the kept variables. */
export function scrubbedEnv(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if ((KEPT_ENV as readonly string[]).includes(name) || KEPT_ENV_PATTERN.test(name)) env[name] = value;
  }
  return env;
}

function run(
  pluginId: string,
  command: string,
  args: string[],
  cwd: string,
  options: RunOptions,
  limits: RunnerLimits,
): Promise<RunResult> {
  const timeoutMs = clampTimeout(options.timeoutMs, limits);
  return new Promise((resolvePromise, reject) => {
    const cannotStart = (error: unknown) =>
      new JovianError(
        'JOVIAN_E_RUNNER_FAILED',
        `plugin \`${pluginId}\` could not start \`${command}\` in ${cwd}: ${(error as Error).message}`,
        { cause: error },
      );
    let child: ChildProcessWithoutNullStreams;
    try {
      child = spawn(command, args, { cwd, env: scrubbedEnv(), shell: false, windowsHide: true });
    } catch (error) {
      reject(cannotStart(error));
      return;
    }
    const stdout = new CappedText(limits.maxOutputBytes);
    const stderr = new CappedText(limits.maxOutputBytes);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        child.kill('SIGKILL');
        // A grandchild may still hold the pipes open; stop waiting for it.
        child.stdout.destroy();
        child.stderr.destroy();
      }, limits.killGraceMs);
    }, timeoutMs);
    const stopTimers = () => {
      clearTimeout(deadline);
      clearTimeout(killTimer);
    };
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    child.once('error', (error) => {
      stopTimers();
      reject(cannotStart(error));
    });
    child.once('close', (exitCode, signal) => {
      stopTimers();
      resolvePromise({
        exitCode,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        truncated: stdout.truncated || stderr.truncated,
      });
    });
    // The command may exit without reading its input (EPIPE): that is its business, not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input === undefined ? undefined : String(options.input));
  });
}

/** `requested` within 1 ms … maxTimeoutMs; the default when absent or not a number. */
function clampTimeout(requested: number | undefined, limits: RunnerLimits): number {
  const ms = Number(requested ?? limits.defaultTimeoutMs);
  return Math.min(Math.max(1, Number.isFinite(ms) ? ms : limits.defaultTimeoutMs), limits.maxTimeoutMs);
}

/** Collects a stream up to the output cap and remembers whether more came. */
class CappedText {
  readonly #max: number;
  readonly #chunks: Buffer[] = [];
  #size = 0;
  truncated = false;

  constructor(max: number) {
    this.#max = max;
  }

  add(chunk: Buffer): void {
    const room = this.#max - this.#size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#size += kept.length;
  }

  text(): string {
    return Buffer.concat(this.#chunks, this.#size).toString('utf8');
  }
}
