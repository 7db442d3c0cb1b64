/**
 * The guest half of jobs: `ctx.jobs` (register, submit, current) and the host's `job.start` /
 * `job.cancel`. A handler runs detached from the call that started it: `job.start` answers at once,
 * and the end is reported with `jobs.finish`, so a job may outlive any call deadline. Each job's
 * AbortSignal is aborted by `job.cancel`; `current()` finds the job through AsyncLocalStorage, so it
 * works in whatever the handler awaits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { errorToData, JovianError } from '../../errors.js';
import type { GuestCalls, Handlers, HostCalls, Port } from './channel.js';
import type { JobHandle, JobHandler, JobOutcome, JobStart, PluginJobs, Registration } from './plugin-api.js';

export interface GuestJobs {
  readonly api: PluginJobs;
  readonly handlers: Pick<Handlers<GuestCalls>, 'job.start' | 'job.cancel'>;
}

export function createGuestJobs(
  pluginId: string,
  host: Port<HostCalls>,
  registration: (release: () => Promise<unknown>) => Registration,
): GuestJobs {
  const handlers = new Map<string, JobHandler>();
  const running = new Map<string, AbortController>();
  const current = new AsyncLocalStorage<JobHandle>();

  const api: PluginJobs = Object.freeze({
    async register(name: string, handler: JobHandler) {
      const previous = handlers.get(name);
      handlers.set(name, handler);
      try {
        await host.call('jobs.register', name);
      } catch (error) {
        if (previous) handlers.set(name, previous);
        else handlers.delete(name);
        throw error;
      }
      return registration(async () => {
        if (handlers.get(name) !== handler) return;
        handlers.delete(name);
        await host.call('jobs.unregister', name);
      });
    },
    submit: (name: string, params?: unknown) => host.call('jobs.submit', name, params ?? null),
    current: async () => current.getStore(),
  });

  const finish = (id: string, outcome: JobOutcome) =>
    host
      .call('jobs.finish', id, outcome)
      // A result that cannot cross (a function, a class instance) fails the job, with the reason.
      .catch((error: unknown) => host.call('jobs.finish', id, { ok: false, error: errorToData(error) }))
      .catch(() => undefined);

  const start = (job: JobStart): void => {
    const handler = handlers.get(job.name);
    if (!handler)
      throw new JovianError(
        'JOVIAN_E_JOB_NOT_REGISTERED',
        `plugin \`${pluginId}\` registered no handler for job \`${job.name}\``,
        { hint: `call ctx.jobs.register('${job.name}', handler) in activate()` },
      );
    const controller = new AbortController();
    running.set(job.id, controller);
    const handle: JobHandle = Object.freeze({
      id: job.id,
      name: job.name,
      signal: controller.signal,
      updateProgress: (percent: number, message?: string, etaSeconds?: number) =>
        host.call('jobs.progress', job.id, { percent, message, etaSeconds }),
    });
    void current
      .run(handle, async () => handler(job.params, handle))
      .then(
        (result): JobOutcome => ({ ok: true, result: result === undefined ? null : result }),
        (error: unknown): JobOutcome => ({ ok: false, error: errorToData(error) }),
      )
      .then((outcome) => {
        running.delete(job.id);
        return finish(job.id, outcome);
      });
  };

  return {
    api,
    handlers: {
      'job.start': start,
      'job.cancel': (jobId, reason) => {
        running
          .get(jobId)
          ?.abort(
            reason === 'timed_out'
              ? new JovianError('JOVIAN_E_JOB_TIMEOUT', `job ${jobId} passed its deadline`)
              : new JovianError('JOVIAN_E_CANCELLED', `job ${jobId} was cancelled`),
          );
      },
    },
  };
}
