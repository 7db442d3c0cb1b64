import { renderMermaid, renderTree, resolveGraph } from '../../graph/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** `jovian plugins graph [--mermaid] [--json]`: the dependency graph as text, Mermaid or JSON. */
export async function pluginsGraph(
  ctx: CliContext,
  options: { mermaid?: boolean; json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const input = host.graphInput;
  const resolved = resolveGraph(input);
  if (options.json) {
    ctx.json({
      order: resolved.order,
      nodes: input.nodes.map((n) => ({
        id: n.id,
        version: n.version,
        category: n.category,
        state: resolved.status.get(n.id)?.state ?? null,
      })),
      edges: input.nodes.flatMap((n) => [
        ...n.dependencies.map((d) => ({
          from: n.id,
          to: d.id,
          range: d.version,
          optional: d.optional,
          kind: 'dependency',
        })),
        ...n.extends.map((e) => ({
          from: n.id,
          to: e.id,
          range: e.version,
          optional: false,
          kind: 'extends',
        })),
      ]),
      cycles: resolved.cycles,
      problems: resolved.problems,
    });
  } else {
    ctx.line(options.mermaid ? renderMermaid(input, resolved) : renderTree(input, resolved));
  }
  return EXIT.OK;
}
