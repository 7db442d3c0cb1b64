import { matches } from '../../events/index.js';
import type { PluginDoc } from './plugin-doc-model.js';

/**
 * The plugins and how they connect, as a Mermaid flowchart: a node per plugin (`id@version`), a solid
 * arrow from a plugin to each plugin it depends on or extends (dotted when optional, labelled with the
 * range), and a dotted arrow labelled `event <topic>` from each plugin emitting a topic to each other
 * plugin subscribing to it (wildcards honoured). Dependencies that are not installed get a node of
 * their own. Lines come out in id order, so the text only changes when the plugins do.
 */
export function ecosystemMermaid(docs: readonly PluginDoc[]): string {
  const lines = ['flowchart LR'];
  const known = new Set(docs.map((d) => d.id));
  for (const doc of docs) lines.push(`  ${nodeKey(doc.id)}["${label(`${doc.id}@${doc.version ?? '?'}`)}"]`);
  const missing = new Set<string>();
  for (const doc of docs) {
    for (const dep of doc.dependencies) {
      if (!known.has(dep.id)) missing.add(dep.id);
      const text = [dep.optional ? 'optional' : 'depends on', dep.version !== '*' ? dep.version : '']
        .filter(Boolean)
        .join(' ');
      lines.push(
        `  ${nodeKey(doc.id)} ${dep.optional ? '-.->' : '-->'}|"${label(text)}"| ${nodeKey(dep.id)}`,
      );
    }
    for (const ext of doc.extends) {
      if (!known.has(ext.id)) missing.add(ext.id);
      const text = ['extends', ext.version !== '*' ? ext.version : ''].filter(Boolean).join(' ');
      lines.push(`  ${nodeKey(doc.id)} -->|"${label(text)}"| ${nodeKey(ext.id)}`);
    }
  }
  for (const id of [...missing].sort())
    lines.push(`  ${nodeKey(id)}["${label(`${id} (not installed)`)}"]:::missing`);
  lines.push(...eventEdges(docs));
  if (missing.size > 0) lines.push('  classDef missing fill:#fff,stroke:#c00,stroke-dasharray: 4 2');
  return lines.join('\n');
}

/** `emitter -.->|"event topic"| subscriber` for every pair, emitters and topics in order. */
function eventEdges(docs: readonly PluginDoc[]): string[] {
  const edges: string[] = [];
  for (const emitter of docs) {
    for (const topic of [...(emitter.contributes?.events.emit ?? [])].sort()) {
      for (const subscriber of docs) {
        if (subscriber.id === emitter.id) continue;
        const patterns = subscriber.contributes?.events.subscribe ?? [];
        if (patterns.some((pattern) => matches(pattern, topic)))
          edges.push(`  ${nodeKey(emitter.id)} -.->|"${label(`event ${topic}`)}"| ${nodeKey(subscriber.id)}`);
      }
    }
  }
  return edges;
}

/** A Mermaid node id: plugin ids may hold `-`, which Mermaid reads as part of an arrow. */
function nodeKey(id: string): string {
  return `p_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** Text inside `"…"`: a double quote would end it early. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}
