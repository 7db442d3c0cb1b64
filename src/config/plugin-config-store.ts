import { stringify } from 'yaml';
import type { ConfigSchemaSpec, SourceLocation } from '../types.js';
import { type Disposable, toDisposable, writeFileAtomic } from '../util/index.js';
import { checkValues, type Locator } from './check-values.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { type Migration, migrateValues } from './config-migrations.js';
import type { ConfigChange } from './masked-changes.js';
import { editYamlFile, readYamlFile } from './yaml-file.js';

/** The key of config.yaml that records the config_schema.version the file was written for. */
export const VERSION_KEY = '$version';

/** A plugin's config.yaml may hold secrets (a password field): only the host's user reads it. */
const CONFIG_FILE_MODE = 0o600;

export interface ConfigOverrides {
  readonly values: Readonly<Record<string, unknown>>;
  readonly locate: (path: readonly (string | number)[]) => SourceLocation;
}

export interface PluginConfigStoreOptions {
  readonly id: string;
  /** The plugin's config.yaml (in its data folder). */
  readonly file: string;
  readonly spec: ConfigSchemaSpec;
  /** The project file's `config_overrides` for this plugin. */
  readonly overrides?: ConfigOverrides | undefined;
  readonly migrations?: Readonly<Record<number, Migration>> | undefined;
}

export interface ConfigChangeEvent {
  readonly keys: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
}

export interface LoadOutcome {
  readonly migratedFrom?: number | undefined;
  readonly backup?: string | undefined;
}

/**
 * One plugin's configuration. Effective config = the schema's defaults < config.yaml < the project's
 * overrides. Every change is validated against config_schema before anything is written, written
 * atomically with the user's comments kept, and announced to listeners. Invalid values are reported
 * with the key, the rule and the file:line:column of the value — in config.yaml or in the project file.
 */
export class PluginConfigStore {
  readonly #options: PluginConfigStoreOptions;
  #values: Record<string, unknown> = {};
  #effective: Record<string, unknown> = {};
  #locateFile: Locator;
  readonly #listeners = new Set<(change: ConfigChangeEvent) => void>();

  constructor(options: PluginConfigStoreOptions) {
    this.#options = options;
    this.#locateFile = () => ({ file: options.file, line: 1, column: 1 });
  }

  get file(): string {
    return this.#options.file;
  }

  /**
   * Reads config.yaml, migrates it if its version is older than config_schema.version, and validates.
   * @throws ConfigError, a YAML error, or a migration error; nothing is written when it throws.
   */
  async load(): Promise<LoadOutcome> {
    const { file, spec } = this.#options;
    const { exists, source, text } = await readYamlFile(file);
    const raw = { ...(source.value as Record<string, unknown>) };
    const version = typeof raw[VERSION_KEY] === 'number' ? (raw[VERSION_KEY] as number) : 1;
    delete raw[VERSION_KEY];
    this.#locateFile = source.locate;
    if (!exists || version === spec.version) {
      await this.#adopt(raw);
      return {};
    }
    const outcome = await migrateValues(
      file,
      text,
      raw,
      version,
      spec.version,
      this.#options.migrations ?? {},
    );
    this.#locateFile = () => ({ file, line: 1, column: 1 });
    await this.#adopt(outcome.values);
    await writeFileAtomic(file, stringify({ [VERSION_KEY]: spec.version, ...outcome.values }), {
      mode: CONFIG_FILE_MODE,
    });
    return { migratedFrom: outcome.migratedFrom, backup: outcome.backup };
  }

  /** The whole effective config, or one key (dotted paths reach nested values); always a copy. */
  get(key?: string): unknown {
    if (key === undefined) return structuredClone(this.#effective);
    const value = pathOf(this.#effective, key);
    return value === undefined ? undefined : structuredClone(value);
  }

  /**
   * Sets one key (dotted paths allowed) in config.yaml; answers the effective changes.
   * @throws ConfigError; nothing is written then.
   */
  set(key: string, value: unknown): Promise<ConfigChange[]> {
    return this.update({ [key]: value });
  }

  /** The plugin's config_schema.schema (undefined when it declares none). */
  get schema(): ConfigSchemaSpec['schema'] {
    return this.#options.spec.schema;
  }

  /**
   * What `update(patch)` would do, without writing: the problems it would be refused for, and the
   * keys whose effective value would change (dry run).
   */
  async preview(
    patch: Readonly<Record<string, unknown>>,
  ): Promise<{ issues: ConfigIssue[]; changes: ConfigChange[] }> {
    const next = structuredClone(this.#values);
    for (const [key, value] of Object.entries(patch)) setPath(next, key.split('.'), value);
    const issues = await this.#check(next);
    const before = this.#effective;
    const after = merge(next, this.#options.overrides?.values ?? {});
    return { issues, changes: changesOf(patch, before, after) };
  }

  /**
   * Sets several keys at once, validated together; answers the keys whose effective value changed,
   * with their values before and after. @throws ConfigError; nothing is written then.
   */
  async update(patch: Readonly<Record<string, unknown>>): Promise<ConfigChange[]> {
    const next = structuredClone(this.#values);
    for (const [key, value] of Object.entries(patch)) setPath(next, key.split('.'), value);
    const issues = await this.#check(next);
    if (issues.length > 0) throw new ConfigError(issues, this.#hint());
    const { file, spec } = this.#options;
    await editYamlFile(
      file,
      (doc) => {
        for (const [key, value] of Object.entries(patch)) doc.setIn(key.split('.'), doc.createNode(value));
        if (!doc.has(VERSION_KEY)) doc.set(VERSION_KEY, spec.version);
      },
      async () => undefined,
      CONFIG_FILE_MODE,
    );
    const previous = this.#effective;
    await this.#adopt(next);
    const reread = await readYamlFile(file);
    this.#locateFile = reread.source.locate;
    const changes = changesOf(patch, previous, this.#effective);
    const keys = Object.keys(patch)
      .map((k) => k.split('.')[0]!)
      .filter((k) => JSON.stringify(previous[k]) !== JSON.stringify(this.#effective[k]));
    if (keys.length === 0) return changes;
    const change: ConfigChangeEvent = {
      keys: [...new Set(keys)],
      config: this.get() as Record<string, unknown>,
    };
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A failing listener must not undo a write that succeeded.
      }
    }
    return changes;
  }

  onDidChange(listener: (change: ConfigChangeEvent) => void): Disposable {
    this.#listeners.add(listener);
    return toDisposable(() => this.#listeners.delete(listener));
  }

  /** The issues of the current file and overrides (empty when valid); never throws for bad values. */
  check(): Promise<ConfigIssue[]> {
    return this.#check(this.#values);
  }

  async #adopt(values: Record<string, unknown>): Promise<void> {
    const issues = await this.#check(values);
    if (issues.length > 0) throw new ConfigError(issues, this.#hint());
    this.#values = values;
    const effective = merge(values, this.#options.overrides?.values ?? {});
    const schema = this.#options.spec.schema;
    if (schema) await checkValues(effective, schema, this.#locate, { useDefaults: true });
    this.#effective = effective;
  }

  /**
   * The effective values must satisfy the schema, and so must the file's own values: a project override
   * must not hide an invalid value in config.yaml (it would surface as soon as the override goes).
   * Required keys may come from the overrides, so the file alone is not checked for them.
   */
  async #check(values: Record<string, unknown>): Promise<ConfigIssue[]> {
    const schema = this.#options.spec.schema;
    if (!schema) return [];
    const overrides = this.#options.overrides;
    const merged = await checkValues(merge(values, overrides?.values ?? {}), schema, this.#locate);
    if (!overrides) return merged;
    const own = (await checkValues(values, schema, this.#locateFile)).filter(
      (issue) => issue.kind !== 'missing',
    );
    const seen = new Set(merged.map((i) => `${i.key}|${i.rule}`));
    return [...merged, ...own.filter((i) => !seen.has(`${i.key}|${i.rule}`))];
  }

  /** Values set by the project's overrides are located in the project file, others in config.yaml. */
  readonly #locate: Locator = (path, options) => {
    const overrides = this.#options.overrides;
    const first = path[0];
    if (overrides && typeof first === 'string' && Object.hasOwn(overrides.values, first))
      return overrides.locate(path);
    return this.#locateFile(path, options);
  };

  #hint(): string {
    return `fix the value in ${this.#options.file}${this.#options.overrides ? ' or in the project file' : ''}; the plugin's config_schema says what is allowed`;
  }
}

/** The keys of `patch` whose effective value differs between `before` and `after`. */
function changesOf(
  patch: Readonly<Record<string, unknown>>,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): ConfigChange[] {
  return Object.keys(patch)
    .map((key) => ({ key, from: pathOf(before, key), to: pathOf(after, key) }))
    .filter((change) => JSON.stringify(change.from) !== JSON.stringify(change.to));
}

/** The value at a dotted path (`limits.max`), or undefined. */
function pathOf(values: Readonly<Record<string, unknown>>, key: string): unknown {
  return key.split('.').reduce<unknown>((at, part) => (isRecord(at) ? at[part] : undefined), values);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge of plain objects; arrays and scalars from `over` replace those of `base`. */
function merge(
  base: Record<string, unknown>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    out[key] =
      isRecord(value) && isRecord(out[key])
        ? merge(out[key] as Record<string, unknown>, value)
        : structuredClone(value);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = target;
  for (const part of path.slice(0, -1)) {
    if (!isRecord(at[part])) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}
