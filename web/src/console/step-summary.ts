// `.js` paths: test/unit/web imports this file under Node's rules.
import type { ChatStepView } from '../api/chat-types.js';

const LONGEST = 160;

/**
 * What a tap did, in a few words: its error (`CODE: message`), what it returned (as JSON, shortened),
 * or null when it returned nothing (kept the value, or did not answer).
 */
export function stepSummary(step: ChatStepView): string | null {
  if (step.outcome === 'error') {
    const error = step.error;
    return error ? `${error.code}: ${error.message}` : 'failed';
  }
  if (step.result === undefined || step.result === null) return null;
  const text = typeof step.result === 'string' ? step.result : JSON.stringify(step.result);
  return text.length > LONGEST ? `${text.slice(0, LONGEST - 1)}…` : text;
}

/** A duration in milliseconds as the trace shows it: `0.4 ms`, `12 ms`, `1.5 s`; null when unknown. */
export function formatDuration(ms: number | undefined): string | null {
  if (ms === undefined || !Number.isFinite(ms)) return null;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  return `${ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms)} ms`;
}
