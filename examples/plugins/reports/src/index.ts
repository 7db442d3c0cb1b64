import { definePlugin, type JobHandle } from 'jovian/sdk';

interface BuildParams {
  readonly title?: string;
  readonly sections?: number;
  readonly section_ms?: number;
}

/** Waits `ms`, or rejects with the signal's reason as soon as the job is cancelled or times out. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}

/**
 * A long job done right: one step at a time, progress after each step with a message and an ETA, and
 * the signal honoured between steps (and during them), so a cancel stops it within one step.
 */
async function build(
  params: BuildParams | null,
  job: JobHandle,
  dataDir: string,
  write: (path: string, text: string) => Promise<void>,
) {
  const title = params?.title ?? 'Weekly report';
  const sections = params?.sections ?? 10;
  const sectionMs = params?.section_ms ?? 600;
  const lines = [`# ${title}`, ''];
  await job.updateProgress(0, 'starting', (sections * sectionMs) / 1000);
  for (let i = 1; i <= sections; i++) {
    await pause(sectionMs, job.signal);
    lines.push(`## Section ${i}`, '', `Written at ${new Date().toISOString()}.`, '');
    await job.updateProgress(
      Math.round((i * 100) / sections),
      `section ${i} of ${sections}`,
      ((sections - i) * sectionMs) / 1000,
    );
  }
  const file = `${dataDir}/report-${job.id}.md`;
  await write(file, lines.join('\n'));
  return { title, sections, file };
}

export default definePlugin({
  async activate(ctx) {
    await ctx.jobs.register('build', (params, job) =>
      build(params as BuildParams | null, job, ctx.paths.data, (path, text) => ctx.fs.writeFile(path, text)),
    );
  },
});
