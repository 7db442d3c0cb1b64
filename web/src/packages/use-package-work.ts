import { useState } from 'react';
import { type ApiError, asApiError } from '../api/client';

/**
 * One package operation at a time: `run(work)` marks the panel busy, clears the last error, and keeps
 * the API's refusal (code, message, hint) to show when the work fails.
 */
export function usePackageWork(): {
  readonly busy: boolean;
  readonly error: ApiError | null;
  run(work: () => Promise<void>): void;
  /** Hides the error shown. */
  dismiss(): void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    work()
      .catch((failure: unknown) => setError(asApiError(failure)))
      .finally(() => setBusy(false));
  };
  return { busy, error, run, dismiss: () => setError(null) };
}
