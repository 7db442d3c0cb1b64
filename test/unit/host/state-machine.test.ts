import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, PLUGIN_STATES, TRANSITIONS } from '../../../src/index.js';

describe('the lifecycle state machine', () => {
  it('should refuse an illegal transition with the allowed ones in the hint', () => {
    expect(() => assertTransition('weather', 'resolved', 'ready')).toThrow(
      expect.objectContaining({
        code: 'JOVIAN_E_ILLEGAL_TRANSITION',
        message: 'plugin `weather` cannot go from `resolved` to `ready`',
        hint: 'allowed from `resolved`: loading, blocked, disabled, error (docs/lifecycle.md)',
      }),
    );
    expect(canTransition('loading', 'ready')).toBe(true);
    expect(canTransition('disabled', 'ready')).toBe(false);
  });

  it('should cover every state, and every state should be reachable from discovered', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...PLUGIN_STATES].sort());
    const reached = new Set<string>(['discovered']);
    const queue = ['discovered'];
    while (queue.length > 0) {
      for (const to of TRANSITIONS[queue.shift() as keyof typeof TRANSITIONS]) {
        if (reached.has(to)) continue;
        reached.add(to);
        queue.push(to);
      }
    }
    expect([...reached].sort()).toEqual([...PLUGIN_STATES].sort());
  });

  it('should be documented as is in docs/lifecycle.md', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'lifecycle.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Transitions'), doc.indexOf('## Activation'));
    const rows = [...section.matchAll(/^\| `(\w+)` \| (.+) \|$/gm)].map((m) => [
      m[1],
      m[2]!.split(', ').map((s) => s.replace(/`/g, '')),
    ]);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(TRANSITIONS).map(([from, to]) => [from, [...to]])),
    );
  });
});
