import { parse as parseYaml } from 'yaml';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** `jovian config get <id> [key] [--json]`: the effective config (defaults < config.yaml < project). */
export async function configGet(
  ctx: CliContext,
  id: string,
  key: string | undefined,
  options: { json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const view = await host.plugins.stores.view(host.require(id));
  const value = key === undefined ? view.get() : view.get(key);
  if (options.json || typeof value === 'object') ctx.json(value ?? null);
  else ctx.line(value === undefined ? '' : String(value));
  return EXIT.OK;
}

/**
 * `jovian config set <id> <key> <value>`: the value is read as YAML (`3`, `true`, `"text"`, `[a, b]`),
 * validated against the plugin's schema, and written atomically; nothing is written when invalid.
 */
export async function configSet(
  ctx: CliContext,
  id: string,
  key: string,
  raw: string,
  options: { json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const view = await host.plugins.stores.view(host.require(id));
  const value: unknown = parseYaml(raw);
  await view.set(key, value);
  if (options.json) ctx.json({ id, key, value, file: view.file });
  else ctx.line(`${id}.${key} = ${JSON.stringify(value)} (written to ${view.file})`);
  return EXIT.OK;
}
