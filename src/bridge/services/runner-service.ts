import { mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls, RunResult } from '../../runtimes/index.js';
import { decideCommand, decideFsAccess, permissionDenied } from '../../security/index.js';
import type { ServiceScope } from './service-scope.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 10 * 60_000;
const KILL_GRACE_MS = 2_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** The only variables a command inherits: never the host's secrets. */
const KEPT_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT'] as const;

/**
 * `ctx.runner.run`: granted commands only, started without a shell (arguments are never interpreted),
 * in a working folder the plugin may read, with a scrubbed environment, a deadline (SIGTERM, then
 * SIGKILL) and capped output. A non-zero exit is a result, not an error.
 */
export function createRunnerService(scope: ServiceScope): Pick<Handlers<HostCalls>, 'runner.run'> {
  return {
    'runner.run': async (command, args, options) => {
      const decision = decideCommand(scope.permissions.run_commands, command);
      scope.audit.record({
        plugin: scope.pluginId,
        action: 'runner.run',
        target: [command, ...args].join(' '),
        decision: decision.allowed ? 'allow' : 'deny',
        permission: 'run_commands',
        reason: decision.reason,
      });
      if (!decision.allowed) throw permissionDenied(decision, scope.pluginId, 'run');
      const cwd = await workingFolder(scope, options.cwd);
      const timeoutMs = Math.min(Math.max(1, options.timeoutMs ?? DEFAULT_TIMEOUT_MS), MAX_TIMEOUT_MS);
      const { spawn } = await import('node:child_process');
      return run(spawn, command, [...args], cwd, timeoutMs, options.input, scope.pluginId);
    },
  };
}

async function workingFolder(scope: ServiceScope, requested: string | undefined): Promise<string> {
  if (requested === undefined) {
    await mkdir(scope.dataDir, { recursive: true });
    return scope.dataDir;
  }
  const real = await realpath(resolve(scope.projectDir, requested)).catch(() => {
    throw new JovianError(
      'JOVIAN_E_FS_NOT_FOUND',
      `plugin \`${scope.pluginId}\`: working folder ${requested} does not exist`,
    );
  });
  const decision = decideFsAccess('fs_read', scope.permissions.fs_read, real, scope);
  if (!decision.allowed) throw permissionDenied(decision, scope.pluginId, 'run commands in');
  return real;
}

function scrubbedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of KEPT_ENV) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

type Spawn = typeof import('node:child_process').spawn;

function run(
  spawn: Spawn,
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  input: string | undefined,
  pluginId: string,
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: scrubbedEnv(),
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out = capture();
    const err = capture();
    let timedOut = false;
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    }, timeoutMs);
    child.stdout.on('data', out.add);
    child.stderr.on('data', err.add);
    child.on('error', (error) => {
      clearTimeout(timer);
      clearTimeout(killer);
      reject(
        new JovianError(
          'JOVIAN_E_RUNNER_FAILED',
          `plugin \`${pluginId}\` could not start \`${command}\`: ${error.message}`,
          { cause: error },
        ),
      );
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(killer);
      resolvePromise({
        exitCode,
        signal,
        stdout: out.text(),
        stderr: err.text(),
        timedOut,
        truncated: out.truncated || err.truncated,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

function capture() {
  const chunks: Buffer[] = [];
  let size = 0;
  const state = {
    truncated: false,
    add: (chunk: Buffer) => {
      if (size >= MAX_OUTPUT_BYTES) {
        state.truncated = true;
        return;
      }
      const room = MAX_OUTPUT_BYTES - size;
      if (chunk.length > room) state.truncated = true;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      size += kept.length;
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
  return state;
}
