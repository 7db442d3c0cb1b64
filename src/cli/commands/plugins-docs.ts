import { join, resolve } from 'node:path';
import { pluginDocsOf, pluginRegistryJson, pluginsMarkdown } from '../../host/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { shown } from './inventory.js';

/**
 * `jovian plugins docs [--out <dir>] [--json]`: docs/auto_docs/plugins.md and plugins/registry.json
 * under `--out` (default: the current folder), from the manifests of the plugins the host finds. No
 * plugin code runs; the same plugins always give the same files.
 */
export async function pluginsDocs(
  ctx: CliContext,
  options: { out?: string; json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const docs = pluginDocsOf(host.records());
  const root = resolve(options.out ?? '.');
  const markdown = join(root, 'docs', 'auto_docs', 'plugins.md');
  const registry = join(root, 'plugins', 'registry.json');
  await writeFileAtomic(markdown, pluginsMarkdown(docs));
  await writeFileAtomic(registry, pluginRegistryJson(docs));
  if (options.json) {
    ctx.json({ plugins: docs.length, files: [markdown, registry] });
    return EXIT.OK;
  }
  ctx.line(`documented ${docs.length} plugins`);
  ctx.line(`wrote ${shown(markdown)}`);
  ctx.line(`wrote ${shown(registry)}`);
  return EXIT.OK;
}
