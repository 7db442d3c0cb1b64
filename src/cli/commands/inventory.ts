import { join, relative, resolve } from 'node:path';
import { CORE_PLUGIN_IDS } from '../../host/index.js';
import {
  countInventory,
  hasErrors,
  inventoryJson,
  inventoryMarkdown,
  kindSummary,
  scanExtensions,
} from '../../manifest/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

export interface InventoryOptions {
  readonly format?: 'md' | 'json';
  /** The folder to write into (default: the scanned folder); `-` prints the document instead. */
  readonly out?: string;
}

const FILE_NAMES = { md: 'extension_inventory.md', json: 'plugins.json' } as const;

/**
 * `jovian inventory [path] [--format md|json] [--out <dir>|-]`: every extension under a folder, of every
 * kind, with its problems, written to extension_inventory.md or plugins.json. Needs no host and runs no
 * plugin code. Exits 0 even when extensions have problems: the document lists them.
 */
export async function inventory(
  ctx: CliContext,
  path: string | undefined,
  options: InventoryOptions,
): Promise<ExitCode> {
  const format = options.format ?? 'md';
  const found = scanExtensions(path ?? '.', { reservedIds: CORE_PLUGIN_IDS });
  const document = format === 'json' ? inventoryJson(found) : inventoryMarkdown(found);
  if (options.out === '-') {
    ctx.io.out(document);
    return EXIT.OK;
  }
  const file = join(resolve(options.out ?? found.root), FILE_NAMES[format]);
  await writeFileAtomic(file, document);
  const counts = countInventory(found);
  ctx.line(
    `${counts.total} extensions in ${shown(found.root)}: ${kindSummary(counts)}; ${counts.withErrors} with errors`,
  );
  for (const entry of found.extensions.filter(hasErrors)) {
    const first = entry.problems.find((p) => p.severity === 'error')!;
    ctx.line(`  ${entry.id} (${entry.path}): ${first.message} [${first.code}]`);
  }
  ctx.line(`wrote ${shown(file)}`);
  return EXIT.OK;
}

/** A path relative to the current folder when it is inside it, else absolute. */
export function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside === '' ? '.' : inside.startsWith('..') ? path : inside;
}
