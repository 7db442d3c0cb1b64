import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/host/circuit-breaker.js';
import { DEFAULT_RECOVERY, restartDelay, restartPolicyOf } from '../../../src/host/plugin-health.js';

const options = { threshold: 3, cooldownMs: 1_000, maxCooldownMs: 3_000 };

describe('CircuitBreaker', () => {
  it('should open after the threshold of consecutive failures and refuse until the cool-down ends', () => {
    const breaker = new CircuitBreaker(options);
    expect(breaker.failure(0)).toBe(false);
    expect(breaker.failure(10)).toBe(false);
    expect(breaker.allows(10)).toBe(true);
    expect(breaker.failure(20)).toBe(true);
    expect(breaker.allows(500)).toBe(false);
    expect(breaker.snapshot(500)).toEqual({
      state: 'open',
      failures: 3,
      retryAt: new Date(1_020).toISOString(),
      opened: 1,
    });
    expect(breaker.state(1_020)).toBe('half_open');
    expect(breaker.allows(1_020)).toBe(true);
  });

  it('should close on a successful trial and start counting afresh', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.failure(0);
    expect(breaker.success(1_000)).toBe(true);
    expect(breaker.snapshot(1_000)).toMatchObject({ state: 'closed', failures: 0 });
    expect(breaker.failure(1_001)).toBe(false);
  });

  it('should open again for twice as long, up to the maximum, when a trial fails', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.failure(0);
    expect(breaker.failure(1_000)).toBe(true);
    expect(breaker.retryAt).toBe(3_000);
    expect(breaker.failure(3_000)).toBe(true);
    expect(breaker.retryAt).toBe(6_000);
    expect(breaker.failure(6_000)).toBe(true);
    expect(breaker.retryAt).toBe(9_000);
    expect(breaker.snapshot(6_000).opened).toBe(4);
  });

  it('should forget failures that a success interrupted', () => {
    const breaker = new CircuitBreaker(options);
    breaker.failure(0);
    breaker.failure(0);
    expect(breaker.success(0)).toBe(false);
    expect(breaker.failure(0)).toBe(false);
    expect(breaker.failure(0)).toBe(false);
    expect(breaker.state(0)).toBe('closed');
  });
});

describe('restart policy', () => {
  it('should restart system plugins always and tools on demand unless the manifest says otherwise', () => {
    expect(restartPolicyOf('system', undefined)).toBe('always');
    expect(restartPolicyOf('tool', undefined)).toBe('on_demand');
    expect(restartPolicyOf('tool', 'always')).toBe('always');
    expect(restartPolicyOf('system', 'never')).toBe('never');
  });

  it('should back off exponentially up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => restartDelay(n, DEFAULT_RECOVERY))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });
});
