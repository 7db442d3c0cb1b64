import { readFile } from 'node:fs/promises';
import { JovianError } from '../../errors.js';
import type { ChatHooks, PluginHost } from '../../host/index.js';
import { readServerAddress, tokenFile } from '../../server/index.js';
import { FINAL_JOB_STATES, type JobInfo, type JobState } from '../../types.js';
import type { CliContext } from '../cli-context.js';

export interface JobListFilter {
  readonly plugin?: string | undefined;
  readonly state?: JobState | undefined;
  readonly limit?: number | undefined;
}

/**
 * The jobs as `jovian jobs` reaches them: through the API of the `jovian serve` running over the data
 * directory (its jobs run in that process), or, when none runs, through a host in this process.
 */
export interface JobsClient {
  /** `server` (the URL) or `local`. */
  readonly where: string;
  list(filter: JobListFilter): Promise<JobInfo[]>;
  get(id: string): Promise<JobInfo>;
  submit(plugin: string, name: string, params: unknown): Promise<JobInfo>;
  cancel(id: string): Promise<JobInfo>;
  /** Every stored job, oldest first, as NDJSON lines. */
  exportLines(filter: Omit<JobListFilter, 'limit'>): Promise<string[]>;
  /** Calls `onChange` with the job at each change until it ends; resolves with the ended job. */
  watch(id: string, onChange: (job: JobInfo) => void): Promise<JobInfo>;
}

const isFinal = (job: JobInfo) => FINAL_JOB_STATES.includes(job.state);

export async function jobsClient(ctx: CliContext): Promise<JobsClient> {
  const host = ctx.host();
  const server = await readServerAddress(host.config.dataDir);
  if (!server) return localClient(host);
  const token = (await readFile(tokenFile(host.config.dataDir), 'utf8').catch(() => '')).trim();
  return apiClient(server.url, token);
}

function localClient(host: PluginHost<ChatHooks>): JobsClient {
  const loaded = async () => {
    await host.load();
    return host.jobs;
  };
  return {
    where: 'local',
    list: async (filter) => (await loaded()).list(filter),
    get: async (id) => (await loaded()).get(id),
    submit: async (plugin, name, params) => {
      await host.start();
      return host.jobs.submit(plugin, name, params, 'cli');
    },
    cancel: async (id) => (await loaded()).cancel(id),
    exportLines: async (filter) => [...(await loaded()).each(filter)].map((job) => JSON.stringify(job)),
    watch: async (id, onChange) => {
      const jobs = await loaded();
      const first = jobs.get(id);
      onChange(first);
      if (isFinal(first)) return first;
      return new Promise<JobInfo>((resolve) => {
        const subscription = host.events.subscribe('job.*', (event) => {
          const job = event.payload as JobInfo;
          if (job.id !== id) return;
          onChange(job);
          if (!isFinal(job)) return;
          subscription.dispose();
          resolve(job);
        });
      });
    },
  };
}

function apiClient(base: string, token: string): JobsClient {
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new JovianError('JOVIAN_E_SERVER_UNREACHABLE', `cannot reach jovian serve at ${base}`, {
        cause,
        hint: 'is it still running? Stop it cleanly, or remove <data-dir>/server.json to use this process',
      });
    }
    const text = await response.text();
    if (!response.ok) {
      const error = (
        JSON.parse(text || '{}') as { error?: { code?: string; message?: string; hint?: string } }
      ).error;
      throw JovianError.fromData({
        code: error?.code ?? 'JOVIAN_E_UNEXPECTED',
        name: 'JovianError',
        message: error?.message ?? `HTTP ${response.status}`,
        ...(error?.hint ? { hint: error.hint } : {}),
      });
    }
    return (path.includes('/export') ? text : JSON.parse(text)) as T;
  };
  const query = (filter: JobListFilter) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter))
      if (value !== undefined) params.set(key, String(value));
    return params.size > 0 ? `?${params}` : '';
  };
  const client: JobsClient = {
    where: base,
    list: async (filter) => (await request<{ jobs: JobInfo[] }>('GET', `/api/jobs${query(filter)}`)).jobs,
    get: (id) => request('GET', `/api/jobs/${encodeURIComponent(id)}`),
    submit: (plugin, name, params) => request('POST', '/api/jobs', { plugin, name, params }),
    cancel: (id) => request('DELETE', `/api/jobs/${encodeURIComponent(id)}`),
    exportLines: async (filter) =>
      (await request<string>('GET', `/api/jobs/export${query(filter)}`)).split('\n').filter(Boolean),
    // The server is asked again every POLL_MS: a progress step lasts longer than that in practice, and
    // the end is never missed (it is the job's last state).
    watch: async (id, onChange) => {
      let last = '';
      for (;;) {
        const job = await client.get(id);
        const seen = JSON.stringify([job.state, job.progress, job.message, job.etaSeconds]);
        if (seen !== last) onChange(job);
        last = seen;
        if (isFinal(job)) return job;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
  return client;
}

const POLL_MS = 200;
