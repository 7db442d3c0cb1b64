/**
 * A small side-by-side benchmark harness. Subjects of one comparison run interleaved (A, B, A, B…)
 * in the same process so that a busy machine slows them alike; the report gives medians and the
 * ratio of each subject to the reference. Goals are printed, never enforced: timings do not belong
 * in tests.
 */

export interface Subject {
  readonly name: string;
  /** One operation. May return a promise; it is awaited when `async` is set on the comparison. */
  readonly run: () => unknown;
}

export interface Goal {
  /** The subject measured. */
  readonly subject: string;
  /** The subject it is compared with. */
  readonly reference: string;
  /** Largest acceptable ratio subject / reference. */
  readonly maxRatio: number;
}

export interface Comparison {
  readonly title: string;
  readonly subjects: readonly Subject[];
  readonly async?: boolean;
  /** Operations per sample; default chosen so a sample lasts ~20 ms. */
  readonly opsPerSample?: number;
  /** Samples per subject; default 15. */
  readonly samples?: number;
  readonly goals?: readonly Goal[];
  /** Unit label for the report; default ns/op. */
  readonly unit?: 'ns/op' | 'µs/op' | 'ms/op';
  /** Print every subject's ratio to this one (besides the goals). */
  readonly reference?: string;
}

export interface ComparisonResult {
  readonly title: string;
  readonly medians: Readonly<Record<string, number>>;
  readonly goals: readonly (Goal & { readonly ratio: number; readonly met: boolean })[];
}

const results: ComparisonResult[] = [];

export async function compare(comparison: Comparison): Promise<ComparisonResult> {
  const samples = comparison.samples ?? 15;
  const isAsync = comparison.async === true;
  const ops = comparison.opsPerSample ?? (await calibrate(comparison.subjects[0]!, isAsync));
  for (const subject of comparison.subjects) await runOps(subject, Math.max(1, Math.floor(ops / 4)), isAsync);
  const timings = new Map<string, number[]>(comparison.subjects.map((s) => [s.name, []]));
  for (let i = 0; i < samples; i++) {
    for (const subject of comparison.subjects) {
      const start = process.hrtime.bigint();
      await runOps(subject, ops, isAsync);
      const ns = Number(process.hrtime.bigint() - start) / ops;
      timings.get(subject.name)!.push(ns);
    }
  }
  const medians: Record<string, number> = {};
  for (const [name, list] of timings) medians[name] = median(list);
  const goals = (comparison.goals ?? []).map((goal) => {
    const ratio = medians[goal.subject]! / medians[goal.reference]!;
    return { ...goal, ratio, met: ratio <= goal.maxRatio };
  });
  const result: ComparisonResult = { title: comparison.title, medians, goals };
  results.push(result);
  print(result, comparison.unit ?? 'ns/op');
  const reference = comparison.reference;
  if (reference !== undefined && medians[reference] !== undefined) {
    for (const [name, value] of Object.entries(medians)) {
      if (name !== reference)
        console.log(`  ratio ${name} / ${reference} = ${(value / medians[reference]!).toFixed(2)}×`);
    }
  }
  return result;
}

/** Records a measurement made outside `compare` (start-up times, memory) so it appears in the summary. */
export function record(result: ComparisonResult, unit = ''): void {
  results.push(result);
  print(result, unit);
}

export function allResults(): readonly ComparisonResult[] {
  return results;
}

async function calibrate(subject: Subject, isAsync: boolean): Promise<number> {
  let ops = 16;
  for (;;) {
    const start = process.hrtime.bigint();
    await runOps(subject, ops, isAsync);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms >= 20 || ops >= 1 << 22) return ops;
    ops *= ms < 2 ? 8 : 2;
  }
}

async function runOps(subject: Subject, ops: number, isAsync: boolean): Promise<void> {
  const run = subject.run;
  if (isAsync) {
    for (let i = 0; i < ops; i++) await run();
  } else {
    let sink: unknown;
    for (let i = 0; i < ops; i++) sink = run();
    if (sink === Symbol.for('never')) console.log(sink);
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Values are nanoseconds for the time units; any other unit (KiB, MiB…) prints the raw value. */
function format(value: number, unit: string): string {
  const scaled = unit === 'µs/op' ? value / 1e3 : unit === 'ms/op' ? value / 1e6 : value;
  return `${scaled.toFixed(scaled < 10 ? 2 : 1)} ${unit}`.trim();
}

function print(result: ComparisonResult, unit: string): void {
  console.log(`\n${result.title}`);
  const width = Math.max(...Object.keys(result.medians).map((n) => n.length));
  for (const [name, value] of Object.entries(result.medians))
    console.log(`  ${name.padEnd(width)}  ${format(value, unit)}`);
  for (const goal of result.goals) {
    console.log(
      `  ${goal.met ? 'met ' : 'MISS'}  ${goal.subject} / ${goal.reference} = ${goal.ratio.toFixed(2)}× (goal ≤ ${goal.maxRatio}×)`,
    );
  }
}
