import { JovianError } from '../errors.js';

/** How a tap is registered. */
export interface TapOptions {
  /** Unique within the hook (plugin taps are named after their plugin). */
  readonly name: string;
  /** Lower stages run first; default 0. */
  readonly stage?: number;
  /** Taps this one must run before (names not tapped are ignored). */
  readonly before?: string | readonly string[];
  /** The plugin charged with this tap's failures. */
  readonly owner?: string | undefined;
  /** Deadline of one call of this tap on an asynchronous hook (ms); default the hook's. */
  readonly timeoutMs?: number | undefined;
}

/** A registered tap, as interceptors and `hook.taps` see it. */
export interface TapInfo {
  readonly name: string;
  readonly stage: number;
  readonly before: readonly string[];
  readonly owner?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface Tap<F> {
  info: TapInfo;
  fn: F;
}

export function normaliseTap(hook: string, options: string | TapOptions): TapInfo {
  const raw: TapOptions = typeof options === 'string' ? { name: options } : options;
  if (typeof raw.name !== 'string' || raw.name.trim() === '') {
    throw new JovianError('JOVIAN_E_HOOK_BAD_TAP', `a tap of hook \`${hook}\` has no name`, {
      hint: 'pass a name: hook.tap("my-plugin", fn)',
    });
  }
  const before =
    raw.before === undefined ? [] : typeof raw.before === 'string' ? [raw.before] : [...raw.before];
  const stage = raw.stage ?? 0;
  if (!Number.isFinite(stage))
    throw new JovianError(
      'JOVIAN_E_HOOK_BAD_TAP',
      `tap \`${raw.name}\` of hook \`${hook}\` has a stage that is not a finite number`,
    );
  return { name: raw.name, stage, before, owner: raw.owner, timeoutMs: raw.timeoutMs };
}

/**
 * Inserts `tap` into `taps` (kept in call order): after every tap of a lower or equal stage, but before
 * the taps it names in `before` — the ordering rule of tapable, so hosts moving from it keep their order.
 */
export function insertTap<F>(taps: Tap<F>[], tap: Tap<F>): void {
  // Names not tapped yet are ignored (tapable would move the tap to the front instead).
  const before = new Set(tap.info.before.filter((name) => taps.some((t) => t.info.name === name)));
  let i = taps.length;
  while (i > 0) {
    const previous = taps[i - 1]!;
    if (before.size > 0) {
      if (before.delete(previous.info.name) || before.size > 0) {
        i--;
        continue;
      }
    }
    if (previous.info.stage > tap.info.stage) {
      i--;
      continue;
    }
    break;
  }
  taps.splice(i, 0, tap);
}
