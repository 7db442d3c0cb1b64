import Range from 'semver/classes/range.js';
import SemVer from 'semver/classes/semver.js';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js';
import { findCycles } from './cycles.js';
import type { Edge, GraphInput, GraphNode, GraphProblem, NodeStatus, ResolvedGraph } from './graph-types.js';
import { MinHeap } from './min-heap.js';

const CATEGORY_RANK = { core: 0, system: 1, tool: 2 } as const;

/** The declared relations of a node: required dependencies, extends, and optional dependencies. */
export function edgesOf(node: GraphNode): Edge[] {
  return [
    ...node.dependencies.map(
      (d, i): Edge => ({
        from: node.id,
        to: d.id,
        range: d.version,
        kind: 'dependency',
        optional: d.optional,
        pointer: ['dependencies', i, 'id'],
      }),
    ),
    ...node.extends.map(
      (e, i): Edge => ({
        from: node.id,
        to: e.id,
        range: e.version,
        kind: 'extends',
        optional: false,
        pointer: ['extends', i, 'id'],
      }),
    ),
  ];
}

function problem(
  code: ErrorCode,
  plugin: string,
  message: string,
  pointer: readonly (string | number)[],
  extra: Partial<GraphProblem> = {},
): GraphProblem {
  return { code, severity: 'error', plugin, message, hint: ERROR_CATALOGUE[code].hint, pointer, ...extra };
}

/** Parsed ranges and versions, shared: a host's plugins use few distinct ones. */
const ranges = new Map<string, Range | null>();
const versions = new Map<string, SemVer | null>();

function satisfies(version: string, range: string): boolean | undefined {
  let parsed = ranges.get(range);
  if (parsed === undefined) {
    try {
      parsed = new Range(range, { includePrerelease: true });
    } catch {
      parsed = null;
    }
    if (ranges.size > 1_000) ranges.clear();
    ranges.set(range, parsed);
  }
  if (parsed === null) return undefined;
  let semver = versions.get(version);
  if (semver === undefined) {
    try {
      semver = new SemVer(version, { includePrerelease: true });
    } catch {
      semver = null;
    }
    if (versions.size > 10_000) versions.clear();
    versions.set(version, semver);
  }
  return semver === null ? false : parsed.test(semver);
}

/**
 * Decides, without running any plugin, which plugins can run, in what order, and why the others
 * cannot: host range, missing and incompatible dependencies, cycles (every member blocked, the path
 * reported), categories (a system plugin cannot require a tool), disabled or failed dependencies
 * (blocking their dependents, transitively). Deterministic for a given input.
 */
export function resolveGraph(input: GraphInput): ResolvedGraph {
  const nodes = new Map<string, GraphNode>();
  for (const node of input.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const problems = new Map<string, GraphProblem[]>();
  const own = new Map<string, { state: 'blocked' | 'disabled'; reason: string }>();
  const report = (p: GraphProblem) => {
    const list = problems.get(p.plugin) ?? [];
    list.push(p);
    problems.set(p.plugin, list);
  };
  const block = (id: string, reason: string) => {
    if (!own.has(id)) own.set(id, { state: 'blocked', reason });
  };

  const required = new Map<string, Edge[]>();
  const optional = new Map<string, Edge[]>();
  for (const node of nodes.values()) {
    if (!node.enabled && node.category !== 'core')
      own.set(node.id, { state: 'disabled', reason: 'disabled by configuration' });
    const engines = node.category === 'core' ? true : satisfies(input.hostVersion, node.engines);
    if (engines === false) {
      const message = `plugin \`${node.id}\` needs Jovian ${node.engines} but this is Jovian ${input.hostVersion}`;
      report(problem('JOVIAN_E_HOST_INCOMPATIBLE', node.id, message, ['engines', 'jovian']));
      block(node.id, message);
    } else if (engines === undefined) {
      const message = `plugin \`${node.id}\` has an invalid engines.jovian range "${node.engines}"`;
      report(problem('JOVIAN_E_MANIFEST_BAD_RANGE', node.id, message, ['engines', 'jovian']));
      block(node.id, message);
    }
    const requiredEdges: Edge[] = [];
    const optionalEdges: Edge[] = [];
    for (const edge of edgesOf(node)) {
      const target = nodes.get(edge.to);
      const rangeOk = target ? satisfies(target.version, edge.range) : undefined;
      const pointer =
        edge.kind === 'dependency'
          ? ['dependencies', edge.pointer[1]!, rangeOk === undefined && target ? 'version' : 'id']
          : edge.pointer;
      if (edge.optional) {
        if (!target) {
          report(
            problem(
              'JOVIAN_E_OPTIONAL_DEPENDENCY_MISSING',
              node.id,
              `optional dependency \`${edge.to}\` of plugin \`${node.id}\` is not installed`,
              pointer,
              { severity: 'info', related: [edge.to] },
            ),
          );
        } else if (rangeOk !== true) {
          const message = `optional dependency \`${edge.to}@${edge.range}\` of plugin \`${node.id}\` is not usable: \`${edge.to}@${target.version}\` is installed`;
          report(
            problem(
              'JOVIAN_E_DEPENDENCY_INCOMPATIBLE',
              node.id,
              message,
              ['dependencies', edge.pointer[1]!, 'version'],
              {
                severity: 'warning',
                related: [edge.to],
                hint: `update \`${edge.to}\` or relax the range; \`${node.id}\` runs without it meanwhile`,
              },
            ),
          );
        } else {
          optionalEdges.push(edge);
        }
        continue;
      }
      if (!target) {
        const message = `plugin \`${node.id}\` requires \`${edge.to}\`, which is not installed`;
        report(
          problem('JOVIAN_E_DEPENDENCY_MISSING', node.id, message, pointer, {
            related: [edge.to],
            hint: `install \`${edge.to}\`, or mark the dependency \`optional: true\` in ${node.id}'s plugin.yaml`,
          }),
        );
        block(node.id, message);
        continue;
      }
      if (rangeOk !== true) {
        const message = `plugin \`${node.id}\` requires \`${edge.to}@${edge.range}\` but \`${edge.to}@${target.version}\` is installed`;
        const versionPointer =
          edge.kind === 'dependency'
            ? ['dependencies', edge.pointer[1]!, 'version']
            : ['extends', edge.pointer[1]!];
        report(
          problem(
            rangeOk === undefined ? 'JOVIAN_E_MANIFEST_BAD_RANGE' : 'JOVIAN_E_DEPENDENCY_INCOMPATIBLE',
            node.id,
            message,
            versionPointer,
            {
              related: [edge.to],
              hint: `update \`${edge.to}\` or relax the range in ${node.id}'s plugin.yaml`,
            },
          ),
        );
        block(node.id, message);
      }
      if (node.category === 'system' && target.category === 'tool') {
        const message = `system plugin \`${node.id}\` requires tool plugin \`${edge.to}\`, but system plugins start before tools`;
        report(problem('JOVIAN_E_DEPENDENCY_CATEGORY', node.id, message, pointer, { related: [edge.to] }));
        block(node.id, message);
      }
      requiredEdges.push(edge);
    }
    required.set(node.id, requiredEdges);
    optional.set(node.id, optionalEdges);
  }

  const ids = [...nodes.keys()].sort();
  const cycles = findCycles(ids, (id) => (required.get(id) ?? []).map((e) => e.to));
  const onCycle = new Set<string>();
  for (const cycle of cycles) {
    const path = cycle.join(' -> ');
    for (let i = 0; i < cycle.length - 1; i++) {
      const member = cycle[i]!;
      onCycle.add(member);
      const edge = (required.get(member) ?? []).find((e) => e.to === cycle[i + 1]);
      report(
        problem(
          'JOVIAN_E_DEPENDENCY_CYCLE',
          member,
          `dependency cycle ${path}: \`${member}\` and every plugin on the cycle are blocked`,
          edge?.pointer ?? ['dependencies'],
          { related: cycle.slice(0, -1) },
        ),
      );
      own.set(member, { state: 'blocked', reason: `dependency cycle ${path}` });
    }
  }

  const status = propagate(nodes, own, required, report);
  const order = orderOf(nodes, required, onCycle);
  const resolved = new Map<string, NodeStatus>();
  for (const id of order) {
    const state = status.get(id);
    const available = (optional.get(id) ?? [])
      .filter((e) => !status.has(e.to) && !nodes.get(e.to)!.failed)
      .map((e) => e.to);
    resolved.set(id, {
      state: state?.state ?? 'resolved',
      reason: state?.reason,
      problems: problems.get(id) ?? [],
      optionalAvailable: available,
    });
  }
  const all = [...problems.values()]
    .flat()
    .sort((a, b) =>
      a.plugin === b.plugin
        ? String(a.pointer).localeCompare(String(b.pointer))
        : a.plugin < b.plugin
          ? -1
          : 1,
    );
  return { order, status: resolved, cycles, problems: all };
}

/** Spreads "cannot run" to dependents (through required edges), in breadth-first order. */
function propagate(
  nodes: ReadonlyMap<string, GraphNode>,
  own: ReadonlyMap<string, { state: 'blocked' | 'disabled'; reason: string }>,
  required: ReadonlyMap<string, Edge[]>,
  report: (p: GraphProblem) => void,
): Map<string, { state: 'blocked' | 'disabled'; reason: string }> {
  const status = new Map(own);
  const dependents = new Map<string, Edge[]>();
  for (const edges of required.values()) {
    for (const edge of edges) {
      const list = dependents.get(edge.to);
      if (list) list.push(edge);
      else dependents.set(edge.to, [edge]);
    }
  }
  const queue = [...nodes.values()].filter((n) => status.has(n.id) || n.failed).map((n) => n.id);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const cause = status.get(id);
    const failed = nodes.get(id)?.failed === true;
    for (const edge of dependents.get(id) ?? []) {
      if (status.has(edge.from)) continue;
      const what = cause?.state === 'disabled' ? 'disabled' : failed ? 'failed' : 'blocked';
      const reason = `needs \`${id}\`, which is ${what}`;
      const code: ErrorCode =
        failed && !cause ? 'JOVIAN_E_DEPENDENCY_FAILED' : 'JOVIAN_E_DEPENDENCY_DISABLED';
      report(
        problem(code, edge.from, `plugin \`${edge.from}\` ${reason}`, edge.pointer, {
          related: [id],
          severity: 'error',
        }),
      );
      status.set(edge.from, { state: 'blocked', reason });
      queue.push(edge.from);
    }
  }
  return status;
}

/**
 * Core plugins first (input order), then system, then tool plugins; within each, dependencies before
 * dependents (Kahn's algorithm, ties broken by id). Edges inside a cycle are ignored. Optional
 * dependencies do not order: the activator starts an available optional dependency first anyway.
 */
function orderOf(
  nodes: ReadonlyMap<string, GraphNode>,
  required: ReadonlyMap<string, Edge[]>,
  onCycle: ReadonlySet<string>,
): string[] {
  const core = [...nodes.values()].filter((n) => n.category === 'core').map((n) => n.id);
  const rest = [...nodes.values()].filter((n) => n.category !== 'core');
  const rank = (id: string) => CATEGORY_RANK[nodes.get(id)!.category];
  const incoming = new Map<string, number>(rest.map((n) => [n.id, 0]));
  const outgoing = new Map<string, string[]>();
  const addEdge = (from: string, to: string) => {
    // `from` needs `to`: `to` comes first. Only edges that keep category order count.
    if (!incoming.has(from) || !incoming.has(to) || from === to) return;
    if (onCycle.has(from) && onCycle.has(to)) return;
    if (rank(to) > rank(from)) return;
    const list = outgoing.get(to);
    if (list) list.push(from);
    else outgoing.set(to, [from]);
    incoming.set(from, incoming.get(from)! + 1);
  };
  for (const node of rest) for (const edge of required.get(node.id) ?? []) addEdge(node.id, edge.to);
  const ranks = new Map(rest.map((n) => [n.id, CATEGORY_RANK[n.category]]));
  const compare = (a: string, b: string) => ranks.get(a)! - ranks.get(b)! || (a < b ? -1 : a > b ? 1 : 0);
  const ready = new MinHeap<string>(compare);
  for (const [id, count] of incoming) if (count === 0) ready.push(id);
  const order: string[] = [];
  const placed = new Set<string>();
  while (ready.size > 0) {
    const id = ready.pop()!;
    order.push(id);
    placed.add(id);
    for (const dependent of outgoing.get(id) ?? []) {
      const count = incoming.get(dependent)! - 1;
      incoming.set(dependent, count);
      if (count === 0) ready.push(dependent);
    }
  }
  // Whatever remains sits behind a cycle: place it by category and id.
  const leftovers = rest
    .map((n) => n.id)
    .filter((id) => !placed.has(id))
    .sort(compare);
  return [...core, ...order, ...leftovers];
}
