import { pathToFileURL } from 'node:url';
import { diagnostic } from '../errors.js';
import { type LegacyDescription, manifestFromLegacy, type ParsedManifest } from '../manifest/index.js';
import type { PluginContext, PluginDefinition } from '../runtimes/index.js';

type LegacyObject = Record<string, unknown> & {
  meta?: Record<string, unknown>;
  start?: (ctx?: PluginContext) => unknown;
  stop?: () => unknown;
  run?: (input: unknown, ctx?: PluginContext) => unknown;
};
type LegacyClass = new () => LegacyObject;

export interface LoadedLegacyPlugin {
  readonly parsed: ParsedManifest;
  readonly definition: PluginDefinition | undefined;
}

/**
 * Wraps a plugin written before manifests existed: a module exporting `plugin` (an object with `meta`
 * and optional `start` / `stop` / `run`), or a default-exported class whose `on_<hook>` methods tap the
 * hooks of the same name. The module must be imported to read its `meta`, so — unlike plugins with a
 * plugin.yaml — legacy plugins run their module's top-level code at discovery; `legacy: true` in every
 * listing flags them for migration.
 */
export async function loadLegacyPlugin(
  dir: string,
  file: string,
  reservedIds: ReadonlySet<string>,
): Promise<LoadedLegacyPlugin> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    return failed(dir, file, `loading legacy module ${file} failed: ${(error as Error).message}`);
  }
  const exported = module.plugin ?? module.default;
  const description = describe(exported);
  if (description === undefined) {
    return failed(dir, file, `${file} exports neither \`plugin\` (with meta) nor a class with on_* methods`);
  }
  const parsed = manifestFromLegacy(description, dir, file, reservedIds);
  return { parsed, definition: parsed.manifest ? adapt(exported, description) : undefined };
}

function describe(exported: unknown): LegacyDescription | undefined {
  if (typeof exported === 'function' && exported.prototype) {
    const methods = hookMethodsOf(exported.prototype as object);
    const meta = (exported as { meta?: unknown }).meta;
    if (methods.length === 0 && meta === undefined && typeof exported.prototype.run !== 'function')
      return undefined;
    return { kind: 'class', meta: isRecord(meta) ? meta : {}, hookMethods: methods };
  }
  if (isRecord(exported) && (isRecord(exported.meta) || typeof exported.run === 'function')) {
    return {
      kind: 'object',
      meta: isRecord(exported.meta) ? exported.meta : {},
      hookMethods: hookMethodsOf(exported),
    };
  }
  return undefined;
}

function adapt(exported: unknown, description: LegacyDescription): PluginDefinition {
  let instance: LegacyObject | undefined;
  const target = (): LegacyObject => {
    instance ??= description.kind === 'class' ? new (exported as LegacyClass)() : (exported as LegacyObject);
    return instance;
  };
  const definition: PluginDefinition = {
    async activate(ctx) {
      const plugin = target();
      for (const method of description.hookMethods) {
        await ctx.hooks.tap(method, (...args: unknown[]) =>
          (plugin[method] as (...a: unknown[]) => unknown).apply(plugin, args),
        );
      }
      await plugin.start?.(ctx);
    },
    async deactivate() {
      await instance?.stop?.();
    },
  };
  const hasRun =
    description.kind === 'class'
      ? typeof (exported as LegacyClass).prototype.run === 'function'
      : typeof (exported as LegacyObject).run === 'function';
  if (hasRun) definition.run = (input, ctx) => target().run?.(input, ctx);
  return definition;
}

function hookMethodsOf(target: object): string[] {
  const names = new Set<string>();
  for (
    let proto: object | null = target;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (/^on_[a-z0-9_]+$/.test(name) && typeof (target as Record<string, unknown>)[name] === 'function')
        names.add(name);
    }
  }
  return [...names].sort();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failed(dir: string, file: string, message: string): LoadedLegacyPlugin {
  const id = dir.split(/[\\/]/).pop() ?? dir;
  return {
    parsed: {
      manifest: undefined,
      identity: { id },
      diagnostics: [
        {
          ...diagnostic('JOVIAN_E_LEGACY_INVALID', message),
          where: { file, line: 1, column: 1 },
          plugin: id,
        },
      ],
    },
    definition: undefined,
  };
}
