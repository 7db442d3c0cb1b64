import { JovianError } from '../../errors.js';
import type { Handlers, HostCalls } from '../../runtimes/index.js';
import type { PluginScope } from '../plugin-scope.js';

type JobMethods = 'jobs.register' | 'jobs.unregister' | 'jobs.submit' | 'jobs.progress' | 'jobs.finish';

/**
 * `ctx.jobs`: a plugin registers and submits only the handlers its manifest declares
 * (contributes.jobs.handlers), and reports progress and ends for its own jobs only.
 */
export function createJobServices(scope: PluginScope): Pick<Handlers<HostCalls>, JobMethods> {
  const declared = (name: string) => {
    const handlers = scope.manifest.contributes.jobs.handlers;
    if (handlers.some((handler) => handler.name === name)) return;
    throw new JovianError(
      'JOVIAN_E_JOB_UNDECLARED',
      `plugin \`${scope.pluginId}\` has no job handler \`${name}\` in its manifest${
        handlers.length ? ` (it declares ${handlers.map((h) => `\`${h.name}\``).join(', ')})` : ''
      }`,
      { hint: `declare it in plugin.yaml: contributes.jobs.handlers: [{ name: ${name} }]` },
    );
  };
  return {
    'jobs.register': (name) => declared(name),
    'jobs.unregister': () => undefined,
    'jobs.submit': (name, params) => {
      declared(name);
      return scope.jobs.submit(name, params);
    },
    'jobs.progress': (jobId, progress) => scope.jobs.progress(jobId, progress),
    'jobs.finish': (jobId, outcome) => scope.jobs.finish(jobId, outcome),
  };
}
