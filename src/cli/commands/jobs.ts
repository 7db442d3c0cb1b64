import { writeFile } from 'node:fs/promises';
import { JovianError } from '../../errors.js';
import { JOB_STATES, type JobInfo, type JobState } from '../../types.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { renderTable } from '../output/table.js';
import { formatEta, JobProgressBar } from './job-progress-bar.js';
import { jobsClient } from './jobs-client.js';

export interface JobsListOptions {
  readonly plugin?: string;
  readonly state?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

/** `jovian jobs list [--plugin <id>] [--state <state>] [--limit n] [--json]`: newest first. */
export async function jobsList(ctx: CliContext, options: JobsListOptions): Promise<ExitCode> {
  const client = await jobsClient(ctx);
  const jobs = await client.list({
    plugin: options.plugin,
    state: stateOption(options.state),
    limit: options.limit === undefined ? undefined : Number(options.limit),
  });
  if (options.json) {
    ctx.json({ jobs });
    return EXIT.OK;
  }
  if (jobs.length === 0) {
    ctx.line('No jobs.');
    return EXIT.OK;
  }
  ctx.line(
    renderTable(
      ['ID', 'PLUGIN', 'JOB', 'STATE', 'PROGRESS', 'CREATED', 'MESSAGE'],
      jobs.map((job) => [
        job.id,
        job.plugin,
        job.name,
        colourJobState(job.state),
        `${Math.round(job.progress)}%`,
        job.createdAt.replace('T', ' ').slice(0, 19),
        job.error?.message ?? job.message ?? '',
      ]),
    ),
  );
  return EXIT.OK;
}

/** `jovian jobs show <id> [--json]`. */
export async function jobsShow(ctx: CliContext, id: string, options: { json?: boolean }): Promise<ExitCode> {
  const job = await (await jobsClient(ctx)).get(id);
  if (options.json) ctx.json(job);
  else printJob(ctx, job);
  return EXIT.OK;
}

/** `jovian jobs cancel <id> [--json]`: asks the job to stop; `--wait`-free, it says what it did. */
export async function jobsCancel(
  ctx: CliContext,
  id: string,
  options: { json?: boolean },
): Promise<ExitCode> {
  const job = await (await jobsClient(ctx)).cancel(id);
  if (options.json) ctx.json(job);
  else if (job.state === 'cancelled') ctx.line(`job ${id} cancelled`);
  else
    ctx.line(`job ${id} is stopping: its handler was asked to stop (\`jovian jobs watch ${id}\` follows it)`);
  return EXIT.OK;
}

/** `jovian jobs watch <id>`: a progress bar until the job ends; exits 0 when it completed, 1 otherwise. */
export async function jobsWatch(ctx: CliContext, id: string): Promise<ExitCode> {
  return watch(ctx, await jobsClient(ctx), id);
}

export interface JobsRunOptions {
  readonly params?: string;
  readonly watch?: boolean;
  readonly json?: boolean;
}

/**
 * `jovian jobs run <plugin> <name> [--params '<json>'] [--watch] [--json]`: submits a job. Through a
 * running server it prints the job id and returns (or watches it with --watch); without one, the job
 * runs in this process, which waits for its end.
 */
export async function jobsRun(
  ctx: CliContext,
  plugin: string,
  name: string,
  options: JobsRunOptions,
): Promise<ExitCode> {
  let params: unknown = null;
  if (options.params !== undefined) {
    try {
      params = JSON.parse(options.params);
    } catch (error) {
      throw new JovianError(
        'JOVIAN_E_CLI_BAD_JSON',
        `--params is not valid JSON: ${(error as Error).message}`,
        {
          hint: `pass a JSON value, e.g. --params '{"title": "Weekly"}'`,
        },
      );
    }
  }
  const client = await jobsClient(ctx);
  const job = await client.submit(plugin, name, params);
  if (options.watch) {
    if (!options.json) ctx.line(`job ${job.id} submitted (${job.plugin} ${job.name})`);
    return watch(ctx, client, job.id, options.json);
  }
  if (client.where !== 'local') {
    if (options.json) ctx.json(job);
    else ctx.line(job.id);
    return EXIT.OK;
  }
  // No server: the job lives in this process, which must wait for it.
  const ended = await client.watch(job.id, () => undefined);
  if (options.json) ctx.json(ended);
  else printJob(ctx, ended);
  return ended.state === 'completed' ? EXIT.OK : EXIT.FAILURE;
}

/** `jovian jobs export [--plugin <id>] [--state <state>] [--output <file>]`: NDJSON, oldest first. */
export async function jobsExport(
  ctx: CliContext,
  options: { plugin?: string; state?: string; output?: string },
): Promise<ExitCode> {
  const lines = await (await jobsClient(ctx)).exportLines({
    plugin: options.plugin,
    state: stateOption(options.state),
  });
  const text = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (options.output === undefined) ctx.io.out(text);
  else {
    await writeFile(options.output, text);
    ctx.io.err(`${lines.length} jobs written to ${options.output}\n`);
  }
  return EXIT.OK;
}

async function watch(
  ctx: CliContext,
  client: Awaited<ReturnType<typeof jobsClient>>,
  id: string,
  json = false,
): Promise<ExitCode> {
  const bar = json ? undefined : new JobProgressBar(ctx.io);
  let started = false;
  const ended = await client.watch(id, (job) => {
    if (!bar) return;
    if (!started) bar.start(job);
    else bar.update(job);
    started = true;
  });
  bar?.stop();
  if (json) ctx.json(ended);
  else ctx.line(endLine(ended));
  return ended.state === 'completed' ? EXIT.OK : EXIT.FAILURE;
}

function endLine(job: JobInfo): string {
  const took =
    job.startedAt && job.endedAt
      ? ` in ${((Date.parse(job.endedAt) - Date.parse(job.startedAt)) / 1000).toFixed(1)} s`
      : '';
  const what = `job ${job.id} ${colourJobState(job.state)}${took}`;
  return job.error ? `${what}: ${job.error.message} [${job.error.code}]` : what;
}

function printJob(ctx: CliContext, job: JobInfo): void {
  const rows: [string, string][] = [
    ['id', job.id],
    ['plugin', job.plugin],
    ['job', job.name],
    ['state', colourJobState(job.state)],
    ['progress', `${Math.round(job.progress)}%${job.message ? ` ${job.message}` : ''}`],
    ['eta', formatEta(job.etaSeconds)],
    ['params', JSON.stringify(job.params)],
    ['submitted by', job.submittedBy],
    ['created', job.createdAt],
    ['started', job.startedAt ?? '-'],
    ['ended', job.endedAt ?? '-'],
    ['timeout', `${job.timeoutMs / 1000} s`],
  ];
  if (job.state === 'completed') rows.push(['result', JSON.stringify(job.result)]);
  if (job.error) rows.push(['error', `${job.error.message} [${job.error.code}]`]);
  for (const [key, value] of rows) ctx.line(`${style.dim(key.padEnd(13))}${value}`);
}

function colourJobState(state: JobState): string {
  if (state === 'completed') return style.green(state);
  if (state === 'failed' || state === 'timed_out') return style.red(state);
  if (state === 'cancelled') return style.dim(state);
  return style.yellow(state);
}

function stateOption(state: string | undefined): JobState | undefined {
  if (state === undefined) return undefined;
  if ((JOB_STATES as readonly string[]).includes(state)) return state as JobState;
  throw new JovianError('JOVIAN_E_CLI_USAGE', `unknown job state \`${state}\``, {
    hint: `use one of ${JOB_STATES.join(', ')}`,
  });
}
