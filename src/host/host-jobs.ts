import { join } from 'node:path';
import type { JobAccess } from '../bridge/index.js';
import { DEFAULT_JOBS_SETTINGS, type JobsSettings } from '../config/index.js';
import { JovianError } from '../errors.js';
import { type JobFilter, JobManager, type JobPolicy, type JobRunner, JobStore } from '../jobs/index.js';
import type { JobMetrics } from '../observability/index.js';
import type { JobInfo, PluginState } from '../types.js';
import { compileJsonSchema, formatPath } from '../util/index.js';
import type { PluginRecord } from './plugin-record.js';

/** What the host's jobs need of the host (kept small on purpose). */
export interface JobsHost {
  readonly dataDir: string;
  /** jovian.yaml's `jobs` (defaults until it is read). */
  settings(): JobsSettings | undefined;
  require(id: string): PluginRecord;
  requireStarted(): void;
  /** Activates `record` for `event`. @throws the activation failure */
  activate(record: PluginRecord, event: string): Promise<void>;
  /** Why `record` refuses calls now (its breaker is open), or undefined. */
  refusal(record: PluginRecord): JovianError | undefined;
  /** The plugin is in use (keeps it from hibernating). */
  used(record: PluginRecord): void;
  succeeded(record: PluginRecord): void;
  failed(record: PluginRecord): void;
  publish(topic: string, payload: unknown): void;
  /** Where jobs are counted (`jovian_jobs`, `jovian_job_transitions_total`, `jovian_job_duration_seconds`). */
  readonly metrics: JobMetrics;
  log(plugin: string, level: 'info' | 'warn', message: string): void;
}

/** Leaving these states stops the plugin's code: its jobs cannot go on. */
const ACTIVE: ReadonlySet<PluginState> = new Set(['loading', 'ready', 'suspended']);

/**
 * The host's jobs (docs/plugin-authoring.md, "Jobs"): submitted by the API, the CLI or plugins
 * themselves, admitted against the plugin's manifest and breaker, run in the plugin (activated by
 * `onJob:<name>`), recorded in `<data-dir>/jobs.db`, and published as `job.*` events.
 */
export class HostJobs {
  readonly #host: JobsHost;
  readonly #manager: JobManager;

  constructor(host: JobsHost) {
    this.#host = host;
    this.#manager = new JobManager({
      runner: this.#runner(),
      openStore: () => JobStore.open(join(host.dataDir, 'jobs.db'), this.#settings.retention),
      publish: (topic, job) => {
        if (topic !== 'job.progress') host.metrics.entered(job.plugin, job.name, job.state);
        host.publish(topic, job);
      },
      cancelGraceMs: () => this.#settings.cancel_grace * 1000,
    });
    host.metrics.countByState(() => this.#manager.countByState());
  }

  get #settings(): JobsSettings {
    return this.#host.settings() ?? DEFAULT_JOBS_SETTINGS;
  }

  /**
   * Queues a job of `plugin`'s handler `name`; it starts when one of the plugin's slots is free.
   * @throws JOVIAN_E_PLUGIN_NOT_FOUND, JOVIAN_E_JOB_UNDECLARED, JOVIAN_E_JOB_PARAMS_INVALID,
   * JOVIAN_E_PLUGIN_UNAVAILABLE, JOVIAN_E_CIRCUIT_OPEN, JOVIAN_E_PLUGIN_SUSPENDED
   */
  submit(plugin: string, name: string, params: unknown, submittedBy: string): Promise<JobInfo> {
    this.#host.requireStarted();
    // No params is an empty object, which a params schema of `type: object` accepts.
    return this.#manager.submit(plugin, name, params ?? {}, submittedBy);
  }

  /** @throws JOVIAN_E_JOB_NOT_FOUND */
  get(id: string): JobInfo {
    return this.#manager.get(id);
  }

  list(filter: JobFilter = {}): JobInfo[] {
    return this.#manager.list(filter);
  }

  /** Every stored job, oldest first. */
  each(filter: Omit<JobFilter, 'limit'> = {}): Generator<JobInfo> {
    return this.#manager.each(filter);
  }

  /** @throws JOVIAN_E_JOB_NOT_FOUND, JOVIAN_E_JOB_FINISHED */
  cancel(id: string): JobInfo {
    return this.#manager.cancel(id);
  }

  /** A plugin changed state: leaving an active state interrupts its jobs. */
  stateChanged(record: PluginRecord, from: PluginState, to: PluginState, reason: string | undefined): void {
    if (ACTIVE.has(from) && !ACTIVE.has(to)) this.#manager.abandon(record.id, reason ?? to);
  }

  /** The host stops: jobs not ended fail with `host stopped`. */
  close(): void {
    this.#manager.close();
  }

  /** `ctx.jobs` of one plugin. */
  accessFor(record: PluginRecord): JobAccess {
    return {
      submit: async (name, params) =>
        (await this.#manager.submit(record.id, name, params ?? {}, record.id)).id,
      progress: (jobId, progress) => {
        this.#host.used(record);
        this.#manager.progress(record.id, jobId, progress);
      },
      finish: (jobId, outcome) => this.#manager.finish(record.id, jobId, outcome),
    };
  }

  #runner(): JobRunner {
    const host = this.#host;
    return {
      admit: async (plugin, name, params) => {
        const record = host.require(plugin);
        const manifest = record.manifest;
        const handler = manifest?.contributes.jobs.handlers.find((h) => h.name === name);
        if (!manifest || !handler) {
          const declared = manifest?.contributes.jobs.handlers.map((h) => `\`${h.name}\``) ?? [];
          throw new JovianError(
            'JOVIAN_E_JOB_UNDECLARED',
            `plugin \`${plugin}\` declares no job \`${name}\`${declared.length ? ` (it declares ${declared.join(', ')})` : ''}`,
            { hint: `declared jobs are under contributes.jobs.handlers in ${record.file}` },
          );
        }
        if (handler.params) {
          const issues = (await compileJsonSchema(handler.params)).check(params ?? null);
          if (issues.length > 0)
            throw new JovianError(
              'JOVIAN_E_JOB_PARAMS_INVALID',
              `params of job \`${name}\` of \`${plugin}\` are invalid: ${issues
                .map((i) => `\`${formatPath(['params', ...i.path])}\` ${i.rule}`)
                .join('; ')}`,
              { hint: `the params schema is under contributes.jobs.handlers in ${record.file}` },
            );
        }
        if (record.state === 'disabled' || record.state === 'blocked')
          throw new JovianError(
            'JOVIAN_E_PLUGIN_UNAVAILABLE',
            `plugin \`${plugin}\` is ${record.state}${record.reason ? `: ${record.reason}` : ''}`,
            { hint: `see \`jovian plugins info ${plugin}\`` },
          );
        const refusal = host.refusal(record);
        if (refusal) throw refusal;
        if (record.state === 'suspended')
          throw new JovianError(
            'JOVIAN_E_PLUGIN_SUSPENDED',
            `plugin \`${plugin}\` is suspended: ${record.reason ?? 'by the operator'}`,
          );
        const jobs = manifest.contributes.jobs;
        const settings = this.#settings;
        return {
          timeoutMs: Math.round((jobs.default_timeout ?? settings.default_timeout) * 1000),
          maxConcurrent: jobs.max_concurrent ?? settings.max_concurrent,
        } satisfies JobPolicy;
      },
      start: async (job) => {
        const record = host.require(job.plugin);
        if (record.state !== 'ready') await host.activate(record, `onJob:${job.name}`);
        const instance = record.active?.instance;
        if (!instance || record.state !== 'ready')
          throw new JovianError('JOVIAN_E_PLUGIN_UNAVAILABLE', `plugin \`${record.id}\` is ${record.state}`);
        host.used(record);
        await instance.guest.call('job.start', { id: job.id, name: job.name, params: job.params });
      },
      abort: (job, reason) => {
        const instance = host.require(job.plugin).active?.instance;
        instance?.guest.call('job.cancel', job.id, reason).catch(() => undefined);
      },
      ended: (job) => {
        const from = Date.parse(job.startedAt ?? job.createdAt);
        host.metrics.finished(
          job.plugin,
          job.name,
          job.state,
          Date.parse(job.endedAt ?? job.createdAt) - from,
        );
        const record = host.require(job.plugin);
        if (job.state === 'completed') host.succeeded(record);
        else if (job.state === 'timed_out' || job.state === 'failed') {
          const code = job.error?.code ?? '';
          if (code === 'JOVIAN_E_JOB_INTERRUPTED') return;
          host.log(
            job.plugin,
            'warn',
            `job ${job.id} (${job.name}) ${job.state}: ${job.error?.message ?? ''}`,
          );
          // A plugin's own coded error is an answer, not a failure of the plugin.
          if (!code.startsWith('JOVIAN_E_')) host.succeeded(record);
          else {
            record.failures++;
            host.failed(record);
          }
        }
      },
    };
  }
}
