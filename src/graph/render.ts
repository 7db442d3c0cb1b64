import type { GraphInput, ResolvedGraph } from './graph-types.js';
import { edgesOf } from './resolve-graph.js';

/**
 * The graph as a Mermaid flowchart: nodes `id@version` (blocked in red, disabled in grey), solid arrows
 * for required dependencies, dotted for optional ones, `extends` labelled, edges on a cycle labelled.
 */
export function renderMermaid(input: GraphInput, resolved: ResolvedGraph): string {
  const key = (id: string) => `n_${id.replace(/[^a-z0-9_]/g, '_')}`;
  const lines = ['flowchart TD'];
  const known = new Set(input.nodes.map((n) => n.id));
  const cycleEdges = new Set<string>();
  for (const cycle of resolved.cycles)
    for (let i = 0; i < cycle.length - 1; i++) cycleEdges.add(`${cycle[i]}>${cycle[i + 1]}`);
  for (const id of resolved.order) {
    const node = input.nodes.find((n) => n.id === id)!;
    const state = resolved.status.get(id)?.state ?? 'resolved';
    lines.push(`  ${key(id)}["${id}@${node.version}"]${state === 'resolved' ? '' : `:::${state}`}`);
  }
  for (const node of input.nodes) {
    for (const edge of edgesOf(node)) {
      if (!known.has(edge.to)) lines.push(`  ${key(edge.to)}["${edge.to} (missing)"]:::missing`);
      const label = [
        edge.kind === 'extends' ? 'extends' : '',
        edge.range !== '*' ? edge.range : '',
        cycleEdges.has(`${edge.from}>${edge.to}`) ? 'cycle' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const arrow = edge.optional ? '-.->' : '-->';
      lines.push(`  ${key(edge.from)} ${arrow}${label ? `|${label}|` : ''} ${key(edge.to)}`);
    }
  }
  lines.push('  classDef blocked fill:#fdd,stroke:#c00');
  lines.push('  classDef disabled fill:#eee,stroke:#999,color:#666');
  lines.push('  classDef missing fill:#fff,stroke:#c00,stroke-dasharray: 4 2');
  return [...new Set(lines)].join('\n');
}

/** The graph for a terminal: each plugin in order, its state and reason, and what it depends on. */
export function renderTree(input: GraphInput, resolved: ResolvedGraph): string {
  const lines: string[] = [];
  const byId = new Map(input.nodes.map((n) => [n.id, n]));
  for (const id of resolved.order) {
    const node = byId.get(id)!;
    const status = resolved.status.get(id);
    const state = status?.state ?? 'resolved';
    lines.push(
      `${id}@${node.version} (${node.category})${state === 'resolved' ? '' : ` — ${state}: ${status?.reason ?? ''}`}`,
    );
    const edges = edgesOf(node);
    edges.forEach((edge, i) => {
      const target = byId.get(edge.to);
      const found = target ? `${edge.to}@${target.version}` : `${edge.to} (not installed)`;
      const kind = edge.kind === 'extends' ? 'extends ' : edge.optional ? 'optional ' : '';
      lines.push(
        `  ${i === edges.length - 1 ? '└─' : '├─'} ${kind}${found}${edge.range !== '*' ? `  wants ${edge.range}` : ''}`,
      );
    });
  }
  for (const cycle of resolved.cycles) lines.push(`cycle: ${cycle.join(' -> ')}`);
  return lines.join('\n');
}
