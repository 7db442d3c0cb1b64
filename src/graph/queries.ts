import type { GraphInput } from './graph-types.js';
import { edgesOf } from './resolve-graph.js';

/**
 * Every plugin that depends on `id` through required dependencies or extends (and optional ones when
 * asked), transitively, ordered dependents first: stopping them in this order never stops a plugin
 * before the plugins that need it.
 */
export function dependentsOf(
  input: GraphInput,
  id: string,
  options: { includeOptional?: boolean } = {},
): string[] {
  const reverse = new Map<string, string[]>();
  for (const node of input.nodes) {
    for (const edge of edgesOf(node)) {
      if (edge.optional && !options.includeOptional) continue;
      const list = reverse.get(edge.to);
      if (list) list.push(node.id);
      else reverse.set(edge.to, [node.id]);
    }
  }
  return postOrder(id, (at) => reverse.get(at) ?? []);
}

/** Every plugin `id` requires, transitively, dependencies first. */
export function dependenciesOf(input: GraphInput, id: string): string[] {
  const byId = new Map(input.nodes.map((n) => [n.id, n]));
  const next = (at: string) => {
    const node = byId.get(at);
    return node
      ? edgesOf(node)
          .filter((e) => !e.optional)
          .map((e) => e.to)
      : [];
  };
  return postOrder(id, next);
}

/** Depth-first post-order from `start` (excluded), iterative, visiting each id once (cycles are cut). */
function postOrder(start: string, next: (id: string) => readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>([start]);
  const stack: { id: string; children: readonly string[]; at: number }[] = [
    { id: start, children: [...next(start)].sort(), at: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.at < frame.children.length) {
      const child = frame.children[frame.at++]!;
      if (seen.has(child)) continue;
      seen.add(child);
      stack.push({ id: child, children: [...next(child)].sort(), at: 0 });
      continue;
    }
    stack.pop();
    if (frame.id !== start) out.push(frame.id);
  }
  return out;
}
