import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openGuestChannel, welcomeGuest } from '../guest-channel.js';
import { guestEntry, packageRoot } from '../guest-entry.js';
import { attachOutput } from '../output.js';
import { childHostTransport } from '../rpc/node-transports.js';
import { exitReasonOf } from '../rpc/protocol.js';
import type { InstanceExit, PluginInstance, Runtime, RuntimeLaunch } from '../runtime.js';
import { permissionFlags } from './permission-flags.js';
import { scrubbedEnv } from './scrubbed-env.js';

/**
 * Runs a Node plugin in its own child process under Node's permission model: it may read its own
 * folder, Jovian's guest code and the paths its fs_read grant names; write only its data folder and its
 * fs_write paths; start no process or worker. Its environment is scrubbed, its heap capped by
 * `limits.memory_mb`, its stdout and stderr go to its log. The permission model is a second layer:
 * files, network and commands are still reached through ctx and checked by the host.
 */
export const processRuntime: Runtime = {
  kind: 'process',
  async load(launch: RuntimeLaunch): Promise<PluginInstance> {
    const label = `plugin \`${launch.manifest.id}\``;
    const entry = guestEntry('process');
    const root = packageRoot(dirname(entry));
    const memory = launch.manifest.limits.memory_mb;
    // The data folder is the process's working folder: it must exist before the fork.
    await mkdir(launch.paths.data, { recursive: true });
    // Node's permission model checks real paths: a plugin folder reached through a symbolic link (as
    // `jovian/testing` links the plugins under test) is read at its real place.
    const realPlugin = await realpath(launch.paths.plugin).catch(() => launch.paths.plugin);
    const child = fork(entry, [], {
      execArgv: [
        ...permissionFlags(launch.manifest.permissions, {
          guestRoot: root,
          entry: launch.entry,
          paths: launch.paths,
        }),
        ...(realPlugin === launch.paths.plugin ? [] : [`--allow-fs-read=${realPlugin}`]),
        ...(memory ? [`--max-old-space-size=${memory}`] : []),
      ],
      env: scrubbedEnv(),
      cwd: launch.paths.data,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exit = watchExit(child);
    const output = attachOutput(child.stdout, child.stderr, launch.output);
    let stopped: string | undefined;
    const endpoint = openGuestChannel(childHostTransport(child), launch, label, (reason) => {
      stopped ??= reason;
      child.kill('SIGKILL');
    });
    try {
      await welcomeGuest(endpoint, launch, label, {
        capabilities: ['cancel', 'structured-clone'],
        entry: launch.entry,
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return {
      guest: endpoint,
      enforcesCallDeadlines: true,
      pid: child.pid,
      tapFunction: () => undefined,
      onExit: (listener) =>
        exit.then((info) => listener({ ...info, reason: stopped ?? info.reason, output: output.tail() })),
      async dispose() {
        endpoint.close('stopped by the host');
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
          await exit;
          clearTimeout(killer);
        }
      },
    };
  },
};

function watchExit(child: ChildProcess): Promise<Omit<InstanceExit, 'output'>> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      const named = exitReasonOf(code);
      const reason = signal
        ? `killed by ${signal}`
        : named === 'normal'
          ? 'exited normally'
          : named
            ? `exited with code ${code} (${named})`
            : `exited with code ${code}`;
      resolve({ code, signal, reason });
    });
  });
}
