import { randomBytes } from 'node:crypto';
import { errorToData, JovianError } from '../errors.js';
import type { ErrorData, JobInfo, JobState } from '../types.js';
import type { JobFilter, JobStore } from './job-store.js';

/** The limits a plugin's jobs run under. */
export interface JobPolicy {
  /** From start to end. */
  readonly timeoutMs: number;
  /** Jobs of the plugin running at once; more wait, in order. */
  readonly maxConcurrent: number;
}

export interface JobProgressReport {
  readonly percent: number;
  readonly message?: string | undefined;
  readonly etaSeconds?: number | undefined;
}

/** How a handler ended, as its plugin reported it. */
export type HandlerOutcome =
  | { readonly ok: true; readonly result: unknown }
  | { readonly ok: false; readonly error: ErrorData };

/** What the manager needs of the host: admission, starting and aborting handlers in plugins. */
export interface JobRunner {
  /**
   * Checks that `plugin` may take a job of `name` with `params` now (declared, params valid, plugin
   * available, breaker closed) and gives the limits of its jobs. @throws the refusal
   */
  admit(plugin: string, name: string, params: unknown): Promise<JobPolicy>;
  /** Activates the plugin if needed and starts the handler; resolves once it runs. @throws the failure */
  start(job: JobInfo): Promise<void>;
  /** Aborts the handler's signal (best effort: the plugin may be gone). */
  abort(job: JobInfo, reason: 'cancelled' | 'timed_out'): void;
  /** The job ended: a place to charge failures to the plugin and record metrics. */
  ended(job: JobInfo): void;
}

export interface JobManagerOptions {
  readonly runner: JobRunner;
  /** Opens the store on first use (the host's data dir and retention). */
  readonly openStore: () => JobStore;
  /** Publishes `job.<state>` / `job.progress` with the job. */
  readonly publish: (topic: string, job: JobInfo) => void;
  /** How long a cancelled handler has to stop before the job is marked cancelled anyway. */
  readonly cancelGraceMs: () => number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface LiveJob {
  readonly info: Mutable<JobInfo>;
  readonly policy: JobPolicy;
  deadline?: NodeJS.Timeout;
  grace?: NodeJS.Timeout;
  cancelRequested: boolean;
}

/**
 * Jobs of every plugin: a queue per plugin (its `max_concurrent`), a deadline per job, cooperative
 * cancellation with a grace period, and the record of each job in the store at every change of state.
 * A job ends once: the first of its handler's end, its deadline, its cancellation (after the handler
 * stops, or the grace period) or its plugin stopping decides, and whatever comes later is ignored.
 *
 * A job that timed out or was cancelled past the grace period frees its slot at once, even if its
 * handler ignores the signal and goes on running inside the plugin: the host cannot stop one function
 * of a plugin, only the whole plugin.
 */
export class JobManager {
  readonly #options: JobManagerOptions;
  readonly #live = new Map<string, LiveJob>();
  /** Waiting job ids per plugin, oldest first. */
  readonly #queues = new Map<string, string[]>();
  readonly #running = new Map<string, number>();
  #store: JobStore | undefined;
  #closed = false;

  constructor(options: JobManagerOptions) {
    this.#options = options;
  }

  get #db(): JobStore {
    this.#store ??= this.#options.openStore();
    return this.#store;
  }

  /**
   * Queues a job and starts it when one of its plugin's slots is free.
   * @throws the runner's refusal (undeclared handler, invalid params, breaker open…)
   */
  async submit(plugin: string, name: string, params: unknown, submittedBy: string): Promise<JobInfo> {
    if (this.#closed)
      throw new JovianError('JOVIAN_E_HOST_NOT_STARTED', `the host is stopping: job \`${name}\` not queued`);
    const policy = await this.#options.runner.admit(plugin, name, params);
    const job: LiveJob = {
      policy,
      cancelRequested: false,
      info: {
        id: randomBytes(6).toString('hex'),
        plugin,
        name,
        params: params ?? null,
        state: 'pending',
        progress: 0,
        message: null,
        etaSeconds: null,
        submittedBy,
        createdAt: new Date().toISOString(),
        startedAt: null,
        endedAt: null,
        timeoutMs: policy.timeoutMs,
        result: null,
        error: null,
      },
    };
    this.#db.save(job.info);
    this.#live.set(job.info.id, job);
    this.#queue(plugin).push(job.info.id);
    this.#options.publish('job.queued', { ...job.info });
    this.#pump(plugin);
    return { ...job.info };
  }

  /** The job, live or stored. @throws JOVIAN_E_JOB_NOT_FOUND */
  get(id: string): JobInfo {
    const live = this.#live.get(id);
    if (live) return { ...live.info };
    const stored = this.#db.get(id);
    if (!stored) throw notFound(id);
    return stored;
  }

  /** Jobs newest first, live ones with their latest progress. */
  list(filter: JobFilter = {}): JobInfo[] {
    return this.#db.list(filter).map((job) => {
      const live = this.#live.get(job.id);
      return live ? { ...live.info } : job;
    });
  }

  /** Jobs waiting and running now, for metrics. */
  countByState(): Readonly<Record<string, number>> {
    let pending = 0;
    let running = 0;
    for (const job of this.#live.values()) {
      if (job.info.state === 'running') running++;
      else pending++;
    }
    return { pending, running };
  }

  /** Every stored job, oldest first (NDJSON export). */
  each(filter: Omit<JobFilter, 'limit'> = {}): Generator<JobInfo> {
    return this.#db.each(filter);
  }

  /**
   * Cancels a job: a waiting one at once; a running one's signal is aborted and it ends `cancelled`
   * when its handler stops, or after the grace period. @throws JOVIAN_E_JOB_NOT_FOUND, JOVIAN_E_JOB_FINISHED
   */
  cancel(id: string): JobInfo {
    const job = this.#live.get(id);
    if (!job) {
      const stored = this.get(id);
      throw new JovianError('JOVIAN_E_JOB_FINISHED', `job ${id} has already ended (${stored.state})`, {
        hint: `\`jovian jobs show ${id}\` tells how it ended`,
      });
    }
    const cancelled = new JovianError('JOVIAN_E_CANCELLED', `job ${id} was cancelled`);
    if (job.info.state === 'pending') {
      const queue = this.#queue(job.info.plugin);
      queue.splice(queue.indexOf(id), 1);
      this.#end(job, 'cancelled', { error: cancelled });
    } else if (!job.cancelRequested) {
      job.cancelRequested = true;
      this.#options.runner.abort(job.info, 'cancelled');
      job.grace = setTimeout(
        () => this.#end(job, 'cancelled', { error: cancelled }),
        this.#options.cancelGraceMs(),
      );
      job.grace.unref();
    }
    return { ...job.info };
  }

  /** A progress report from `plugin` for its running job. */
  progress(plugin: string, id: string, report: JobProgressReport): void {
    const job = this.#owned(plugin, id);
    if (job?.info.state !== 'running') return;
    const percent = Number(report.percent);
    job.info.progress = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : job.info.progress;
    if (report.message !== undefined)
      job.info.message = report.message === null ? null : String(report.message);
    const eta = Number(report.etaSeconds);
    job.info.etaSeconds = report.etaSeconds !== undefined && Number.isFinite(eta) ? Math.max(0, eta) : null;
    this.#options.publish('job.progress', { ...job.info });
  }

  /** The end `plugin` reports for its job; ignored when the job has already ended. */
  finish(plugin: string, id: string, outcome: HandlerOutcome): void {
    const job = this.#owned(plugin, id);
    if (job?.info.state !== 'running') return;
    if (job.cancelRequested)
      this.#end(job, 'cancelled', {
        error: new JovianError('JOVIAN_E_CANCELLED', `job ${id} was cancelled`),
      });
    else if (outcome.ok) this.#end(job, 'completed', { result: outcome.result });
    else this.#end(job, 'failed', { error: handlerError(outcome.error, job.info) });
  }

  /** `plugin` stopped or failed: its jobs, waiting or running, end `failed` (JOVIAN_E_JOB_INTERRUPTED). */
  abandon(plugin: string, reason: string): void {
    const error = new JovianError('JOVIAN_E_JOB_INTERRUPTED', `plugin \`${plugin}\` stopped: ${reason}`, {
      hint: 'run the job again once the plugin is back',
    });
    this.#queues.delete(plugin);
    for (const job of [...this.#live.values()])
      if (job.info.plugin === plugin) this.#end(job, 'failed', { error, pump: false });
  }

  /** The host stops: every job not ended fails (`host stopped`), and the store is closed. */
  close(): void {
    this.#closed = true;
    const error = new JovianError('JOVIAN_E_JOB_INTERRUPTED', 'host stopped before the job ended', {
      hint: 'run the job again; jobs are not resumed after a restart',
    });
    this.#queues.clear();
    for (const job of [...this.#live.values()]) {
      if (job.info.state === 'running') this.#options.runner.abort(job.info, 'cancelled');
      this.#end(job, 'failed', { error, pump: false });
    }
    this.#store?.close();
    this.#store = undefined;
  }

  #owned(plugin: string, id: string): LiveJob | undefined {
    const job = this.#live.get(id);
    if (job && job.info.plugin !== plugin) throw notFound(id);
    return job;
  }

  #queue(plugin: string): string[] {
    let queue = this.#queues.get(plugin);
    if (!queue) {
      queue = [];
      this.#queues.set(plugin, queue);
    }
    return queue;
  }

  #pump(plugin: string): void {
    const queue = this.#queues.get(plugin);
    while (queue && queue.length > 0) {
      const job = this.#live.get(queue[0]!);
      if (!job) {
        queue.shift();
        continue;
      }
      if ((this.#running.get(plugin) ?? 0) >= job.policy.maxConcurrent) return;
      queue.shift();
      this.#begin(job);
    }
    if (queue?.length === 0) this.#queues.delete(plugin);
  }

  #begin(job: LiveJob): void {
    const info = job.info;
    info.state = 'running';
    info.startedAt = new Date().toISOString();
    this.#running.set(info.plugin, (this.#running.get(info.plugin) ?? 0) + 1);
    job.deadline = setTimeout(() => {
      this.#end(job, 'timed_out', {
        error: new JovianError(
          'JOVIAN_E_JOB_TIMEOUT',
          `job \`${info.name}\` of plugin \`${info.plugin}\` did not finish within ${info.timeoutMs / 1000} s`,
        ),
      });
      this.#options.runner.abort(info, 'timed_out');
    }, info.timeoutMs);
    job.deadline.unref();
    this.#db.save(info);
    this.#options.publish('job.started', { ...info });
    this.#options.runner.start({ ...info }).catch((error: unknown) => {
      if (this.#live.get(info.id) === job && info.state === 'running')
        this.#end(job, 'failed', { error: errorToData(error) });
    });
  }

  #end(
    job: LiveJob,
    state: Exclude<JobState, 'pending' | 'running'>,
    how: { result?: unknown; error?: JovianError | ErrorData; pump?: boolean },
  ): void {
    if (this.#live.get(job.info.id) !== job) return;
    this.#live.delete(job.info.id);
    clearTimeout(job.deadline);
    clearTimeout(job.grace);
    const info = job.info;
    const wasRunning = info.state === 'running';
    if (wasRunning) this.#running.set(info.plugin, (this.#running.get(info.plugin) ?? 1) - 1);
    info.state = state;
    info.endedAt = new Date().toISOString();
    if (state === 'completed') info.progress = 100;
    info.etaSeconds = null;
    info.result = how.result ?? null;
    info.error =
      how.error === undefined ? null : shown(how.error instanceof Error ? errorToData(how.error) : how.error);
    try {
      this.#store?.save(info);
      this.#store?.prune();
    } finally {
      this.#options.publish(`job.${state}`, { ...info });
      this.#options.runner.ended({ ...info });
      if (how.pump !== false) this.#pump(info.plugin);
    }
  }
}

/** A handler's error without a code of its own is reported as the job's failure, with its message. */
function handlerError(error: ErrorData, job: JobInfo): ErrorData {
  if (error.code !== 'JOVIAN_E_UNEXPECTED') return error;
  return {
    ...error,
    code: 'JOVIAN_E_JOB_HANDLER_FAILED',
    message: `job \`${job.name}\` of plugin \`${job.plugin}\` failed: ${error.message}`,
  };
}

/** The error as the job keeps it: what people read, without the stack (that goes to the plugin log). */
function shown(error: ErrorData): ErrorData {
  return {
    code: error.code,
    name: error.name,
    message: error.message,
    ...(error.hint ? { hint: error.hint } : {}),
  };
}

function notFound(id: string): JovianError {
  return new JovianError('JOVIAN_E_JOB_NOT_FOUND', `no job \`${id}\``, {
    hint: 'list the jobs with `jovian jobs list`; old ones are removed by jobs.retention in jovian.yaml',
  });
}
