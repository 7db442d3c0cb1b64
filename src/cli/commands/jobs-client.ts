import type { ChatHooks, PluginHost } from '../../host/index.js';
import { FINAL_JOB_STATES, type JobInfo, type JobState } from '../../types.js';
import type { CliContext } from '../cli-context.js';
import { runningServer, type ServerApi } from '../server-api.js';

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
  const server = await runningServer(host.config.dataDir);
  return server ? apiClient(server) : localClient(host);
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

function apiClient(server: ServerApi): JobsClient {
  const request = server.request;
  const query = (filter: JobListFilter) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(filter))
      if (value !== undefined) params.set(key, String(value));
    return params.size > 0 ? `?${params}` : '';
  };
  const client: JobsClient = {
    where: server.url,
    list: async (filter) => (await request<{ jobs: JobInfo[] }>('GET', `/api/jobs${query(filter)}`)).jobs,
    get: (id) => request('GET', `/api/jobs/${encodeURIComponent(id)}`),
    submit: (plugin, name, params) => request('POST', '/api/jobs', { plugin, name, params }),
    cancel: (id) => request('DELETE', `/api/jobs/${encodeURIComponent(id)}`),
    exportLines: async (filter) =>
      (await request<string>('GET', `/api/jobs/export${query(filter)}`, undefined, { text: true }))
        .split('\n')
        .filter(Boolean),
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
