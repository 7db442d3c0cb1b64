import { describe, expect, it } from 'vitest';
import {
  dependenciesOf,
  dependentsOf,
  type GraphInput,
  type GraphNode,
  renderMermaid,
  renderTree,
  resolveGraph,
} from '../../../src/graph/index.js';

type Dep = { id: string; version?: string; optional?: boolean };

function node(
  id: string,
  options: Partial<Omit<GraphNode, 'dependencies' | 'extends'>> & { deps?: Dep[]; ext?: string[] } = {},
): GraphNode {
  return {
    id,
    version: options.version ?? '1.0.0',
    category: options.category ?? 'tool',
    engines: options.engines ?? '*',
    enabled: options.enabled ?? true,
    failed: options.failed,
    dependencies: (options.deps ?? []).map((d) => ({
      id: d.id,
      version: d.version ?? '*',
      optional: d.optional ?? false,
    })),
    extends: (options.ext ?? []).map((e) => ({ id: e, version: '*' })),
  };
}

const graph = (...nodes: GraphNode[]): GraphInput => ({ hostVersion: '0.1.0', nodes });
const state = (input: GraphInput, id: string) => resolveGraph(input).status.get(id);

describe('resolveGraph', () => {
  it('should resolve plugins whose dependencies are satisfied', () => {
    const input = graph(
      node('a', { version: '1.4.0' }),
      node('b', { deps: [{ id: 'a', version: '^1.2.0' }] }),
    );
    const resolved = resolveGraph(input);
    expect(resolved.status.get('b')).toMatchObject({ state: 'resolved', problems: [] });
    expect(resolved.problems).toEqual([]);
  });

  describe('host compatibility', () => {
    it('should block a plugin whose engines range excludes the host version', () => {
      const result = resolveGraph(graph(node('a', { engines: '>=2.0.0' })));
      expect(result.status.get('a')?.state).toBe('blocked');
      expect(result.problems[0]).toMatchObject({
        code: 'JOVIAN_E_HOST_INCOMPATIBLE',
        plugin: 'a',
        pointer: ['engines', 'jovian'],
        message: 'plugin `a` needs Jovian >=2.0.0 but this is Jovian 0.1.0',
      });
    });

    it('should accept prerelease host versions inside a range', () => {
      expect(
        resolveGraph({ hostVersion: '1.0.0-beta.1', nodes: [node('a', { engines: '>=0.9.0' })] }).status.get(
          'a',
        )?.state,
      ).toBe('resolved');
    });

    it('should block on an invalid range instead of crashing', () => {
      expect(resolveGraph(graph(node('a', { engines: 'nope' }))).problems[0]?.code).toBe(
        'JOVIAN_E_MANIFEST_BAD_RANGE',
      );
    });
  });

  describe('dependencies', () => {
    it('should block a plugin whose required dependency is missing, pointing at it', () => {
      const result = resolveGraph(graph(node('b', { deps: [{ id: 'x' }, { id: 'a' }] }), node('a')));
      expect(result.status.get('b')).toMatchObject({
        state: 'blocked',
        reason: 'plugin `b` requires `a`, which is not installed'.replace('`a`', '`x`'),
      });
      expect(result.problems[0]).toMatchObject({
        code: 'JOVIAN_E_DEPENDENCY_MISSING',
        pointer: ['dependencies', 0, 'id'],
        related: ['x'],
      });
    });

    it('should report a missing optional dependency as a note only', () => {
      const result = resolveGraph(graph(node('b', { deps: [{ id: 'x', optional: true }] })));
      expect(result.status.get('b')).toMatchObject({ state: 'resolved', optionalAvailable: [] });
      expect(result.problems[0]).toMatchObject({
        code: 'JOVIAN_E_OPTIONAL_DEPENDENCY_MISSING',
        severity: 'info',
      });
    });

    it('should block on an incompatible version, naming both versions', () => {
      const result = resolveGraph(
        graph(node('a', { version: '1.4.0' }), node('b', { deps: [{ id: 'a', version: '^2' }] })),
      );
      expect(result.status.get('b')?.state).toBe('blocked');
      expect(result.problems[0]).toMatchObject({
        code: 'JOVIAN_E_DEPENDENCY_INCOMPATIBLE',
        message: 'plugin `b` requires `a@^2` but `a@1.4.0` is installed',
        pointer: ['dependencies', 0, 'version'],
      });
    });

    it('should treat an incompatible optional dependency as absent, with a warning', () => {
      const result = resolveGraph(
        graph(
          node('a', { version: '1.0.0' }),
          node('b', { deps: [{ id: 'a', version: '^2', optional: true }] }),
        ),
      );
      expect(result.status.get('b')).toMatchObject({ state: 'resolved', optionalAvailable: [] });
      expect(result.problems[0]).toMatchObject({
        code: 'JOVIAN_E_DEPENDENCY_INCOMPATIBLE',
        severity: 'warning',
      });
    });

    it('should list an available optional dependency', () => {
      expect(
        state(graph(node('a'), node('b', { deps: [{ id: 'a', optional: true }] })), 'b')?.optionalAvailable,
      ).toEqual(['a']);
    });

    it('should treat extends as a required dependency', () => {
      const result = resolveGraph(graph(node('helper_plus', { ext: ['helper'] })));
      expect(result.status.get('helper_plus')?.state).toBe('blocked');
      expect(result.problems[0]).toMatchObject({
        code: 'JOVIAN_E_DEPENDENCY_MISSING',
        pointer: ['extends', 0, 'id'],
      });
    });
  });

  describe('cascade', () => {
    it('should block dependents of a disabled plugin, transitively', () => {
      const input = graph(
        node('a', { enabled: false }),
        node('b', { deps: [{ id: 'a' }] }),
        node('c', { deps: [{ id: 'b' }] }),
      );
      const result = resolveGraph(input);
      expect(result.status.get('a')).toMatchObject({ state: 'disabled' });
      expect(result.status.get('b')).toMatchObject({
        state: 'blocked',
        reason: 'needs `a`, which is disabled',
      });
      expect(result.status.get('c')).toMatchObject({
        state: 'blocked',
        reason: 'needs `b`, which is blocked',
      });
      expect(result.problems.map((p) => p.code)).toEqual([
        'JOVIAN_E_DEPENDENCY_DISABLED',
        'JOVIAN_E_DEPENDENCY_DISABLED',
      ]);
    });

    it('should block dependents of a failed plugin with dependency-failed', () => {
      const result = resolveGraph(graph(node('a', { failed: true }), node('b', { deps: [{ id: 'a' }] })));
      expect(result.status.get('b')).toMatchObject({
        state: 'blocked',
        reason: 'needs `a`, which is failed',
      });
      expect(result.problems[0]?.code).toBe('JOVIAN_E_DEPENDENCY_FAILED');
    });

    it('should not block on a failed optional dependency but drop it from the available ones', () => {
      const result = resolveGraph(
        graph(node('a', { failed: true }), node('b', { deps: [{ id: 'a', optional: true }] })),
      );
      expect(result.status.get('b')).toMatchObject({ state: 'resolved', optionalAvailable: [] });
    });
  });

  describe('cycles', () => {
    it('should report a cycle with its path and block every member and their dependents', () => {
      const input = graph(
        node('c', { deps: [{ id: 'a' }] }),
        node('a', { deps: [{ id: 'b' }] }),
        node('b', { deps: [{ id: 'c' }] }),
        node('d', { deps: [{ id: 'a' }] }),
        node('e'),
      );
      const result = resolveGraph(input);
      expect(result.cycles).toEqual([['a', 'b', 'c', 'a']]);
      for (const id of ['a', 'b', 'c'])
        expect(result.status.get(id)).toMatchObject({
          state: 'blocked',
          reason: 'dependency cycle a -> b -> c -> a',
        });
      expect(result.status.get('d')?.state).toBe('blocked');
      expect(result.status.get('e')?.state).toBe('resolved');
      const cycleProblems = result.problems.filter((p) => p.code === 'JOVIAN_E_DEPENDENCY_CYCLE');
      expect(cycleProblems.map((p) => p.plugin)).toEqual(['a', 'b', 'c']);
      expect(cycleProblems[0]?.message).toContain('a -> b -> c -> a');
    });

    it('should catch a plugin depending on itself and cycles through extends', () => {
      expect(resolveGraph(graph(node('a', { deps: [{ id: 'a' }] }))).cycles).toEqual([['a', 'a']]);
      expect(
        resolveGraph(graph(node('a', { ext: ['b'] }), node('b', { deps: [{ id: 'a' }] }))).cycles,
      ).toEqual([['a', 'b', 'a']]);
    });

    it('should not count optional dependencies as cycles', () => {
      const result = resolveGraph(
        graph(node('a', { deps: [{ id: 'b', optional: true }] }), node('b', { deps: [{ id: 'a' }] })),
      );
      expect(result.cycles).toEqual([]);
      expect(result.status.get('a')?.state).toBe('resolved');
    });
  });

  describe('categories', () => {
    it('should block a system plugin that requires a tool', () => {
      const result = resolveGraph(
        graph(node('sys', { category: 'system', deps: [{ id: 'tool' }] }), node('tool')),
      );
      expect(result.status.get('sys')?.state).toBe('blocked');
      expect(result.problems[0]?.code).toBe('JOVIAN_E_DEPENDENCY_CATEGORY');
    });

    it('should let anyone depend on core plugins, which are never blocked', () => {
      const result = resolveGraph(
        graph(node('bridge', { category: 'core', engines: '>=99' }), node('a', { deps: [{ id: 'bridge' }] })),
      );
      expect(result.status.get('bridge')?.state).toBe('resolved');
      expect(result.status.get('a')?.state).toBe('resolved');
    });
  });

  describe('order', () => {
    it('should put core first, then system, then tools, dependencies before dependents', () => {
      const input = graph(
        node('zeta', { deps: [{ id: 'alpha' }] }),
        node('alpha'),
        node('monitor', { category: 'system', deps: [{ id: 'store' }] }),
        node('store', { category: 'system' }),
        node('settings', { category: 'core' }),
        node('bridge', { category: 'core' }),
      );
      expect(resolveGraph(input).order).toEqual(['settings', 'bridge', 'store', 'monitor', 'alpha', 'zeta']);
    });

    it('should not depend on input order', () => {
      const nodes = [
        node('c', { deps: [{ id: 'a' }] }),
        node('b'),
        node('a'),
        node('d', { deps: [{ id: 'c' }, { id: 'b' }] }),
      ];
      const one = resolveGraph(graph(...nodes)).order;
      const two = resolveGraph(graph(...[...nodes].reverse())).order;
      expect(one).toEqual(['a', 'b', 'c', 'd']);
      expect(two).toEqual(one);
    });

    it('should handle a chain of 2000 plugins without overflowing the stack', () => {
      const nodes = Array.from({ length: 2000 }, (_, i) =>
        node(`p${i}`, { deps: i === 0 ? [] : [{ id: `p${i - 1}` }] }),
      );
      const result = resolveGraph(graph(...nodes.reverse()));
      expect(result.order[0]).toBe('p0');
      expect(result.order[1999]).toBe('p1999');
      expect(result.status.get('p1999')?.state).toBe('resolved');
      const ring = Array.from({ length: 2000 }, (_, i) =>
        node(`p${i}`, { deps: [{ id: `p${(i + 1999) % 2000}` }] }),
      );
      const cyclic = resolveGraph(graph(...ring));
      expect(cyclic.cycles).toHaveLength(1);
      expect(cyclic.cycles[0]).toHaveLength(2001);
      expect(cyclic.status.get('p1000')?.state).toBe('blocked');
    });
  });
});

describe('dependentsOf / dependenciesOf', () => {
  const input = graph(
    node('a'),
    node('b', { deps: [{ id: 'a' }] }),
    node('c', { deps: [{ id: 'b' }] }),
    node('d', { deps: [{ id: 'a', optional: true }] }),
    node('e', { ext: ['a'] }),
  );

  it('should list transitive dependents, dependents first', () => {
    const order = dependentsOf(input, 'a');
    expect(order.sort()).toEqual(['b', 'c', 'e']);
    const ordered = dependentsOf(input, 'a');
    expect(ordered.indexOf('c')).toBeLessThan(ordered.indexOf('b'));
    expect(dependentsOf(input, 'a', { includeOptional: true })).toContain('d');
  });

  it('should list transitive dependencies, dependencies first', () => {
    expect(dependenciesOf(input, 'c')).toEqual(['a', 'b']);
  });
});

describe('renderers', () => {
  const input = graph(
    node('a', { version: '1.2.0' }),
    node('b', {
      deps: [
        { id: 'a', version: '^1' },
        { id: 'x', optional: true },
      ],
      ext: [],
    }),
    node('c', { enabled: false }),
  );
  const resolved = resolveGraph(input);

  it('should draw a Mermaid flowchart with states and edge kinds', () => {
    const text = renderMermaid(input, resolved);
    expect(text.split('\n')[0]).toBe('flowchart TD');
    expect(text).toContain('n_a["a@1.2.0"]');
    expect(text).toContain('n_c["c@1.0.0"]:::disabled');
    expect(text).toContain('n_b -->|^1| n_a');
    expect(text).toContain('n_b -.-> n_x');
    expect(text).toContain('n_x["x (missing)"]:::missing');
  });

  it('should print a tree for terminals', () => {
    const text = renderTree(input, resolved);
    expect(text).toContain('b@1.0.0 (tool)\n  ├─ a@1.2.0  wants ^1\n  └─ optional x (not installed)');
    expect(text).toContain('c@1.0.0 (tool) — disabled: disabled by configuration');
  });
});
