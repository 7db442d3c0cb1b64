import type { ConfigAccess, StateAccess } from '../bridge/index.js';
import {
  type ConfigChange,
  ConfigError,
  type ConfigIssue,
  dataDirLayout,
  type LoadOutcome,
  type Migration,
  maskSecrets,
  PluginConfigStore,
  PluginStateStore,
  type ProjectConfig,
  projectOverrides,
} from '../config/index.js';
import { errorToDiagnostic, isJovianError, JovianError } from '../errors.js';
import type { AuditSink } from '../observability/index.js';
import type { Diagnostic } from '../types.js';
import type { PluginRecord } from './plugin-record.js';

/** A plugin's config as the CLI and the API read and write it (without running the plugin). */
export interface ConfigView {
  readonly file: string;
  get(key?: string): unknown;
  set(key: string, value: unknown): Promise<readonly ConfigChange[]>;
  /** Several keys at once, validated together. @throws ConfigError; nothing is written then. */
  update(patch: Readonly<Record<string, unknown>>): Promise<readonly ConfigChange[]>;
  /** What update() would do: its problems and the keys whose value would change (dry run). */
  preview(patch: Readonly<Record<string, unknown>>): Promise<{
    issues: readonly ConfigIssue[];
    changes: readonly { key: string; from: unknown; to: unknown }[];
  }>;
}

/** Who changes a config: the operator (CLI, API) or the plugin itself (ctx.config.set). */
type ConfigActor = 'operator' | 'plugin';

/**
 * The config and state stores of every plugin. A plugin's config store is opened when it activates
 * (running its migrations); the CLI and the doctor open stores of their own, without plugin code.
 * Every config write, allowed or refused, is audited (`config.set`) with its changes, secrets masked.
 */
export class PluginStores {
  readonly #dataDir: string;
  readonly #project: () => ProjectConfig | undefined;
  readonly #audit: AuditSink;
  readonly #config = new Map<string, PluginConfigStore>();
  readonly #state = new Map<string, PluginStateStore>();

  constructor(dataDir: string, project: () => ProjectConfig | undefined, audit: AuditSink) {
    this.#dataDir = dataDir;
    this.#project = project;
    this.#audit = audit;
  }

  /** Opens (migrating if needed) the config of a plugin that is activating. */
  async openConfig(
    record: PluginRecord,
    migrations: Readonly<Record<number, Migration>>,
    manifest = record.manifest!,
  ): Promise<LoadOutcome> {
    const store = this.#create(record, migrations, manifest);
    const outcome = await store.load();
    this.#config.set(record.id, store);
    return outcome;
  }

  /**
   * Keeps the config store `record` uses now; the returned function puts it back (hot reload: a new
   * version that failed to start had opened its own, with its own schema).
   */
  keepConfig(record: PluginRecord): () => void {
    const kept = this.#config.get(record.id);
    return () => {
      if (kept) this.#config.set(record.id, kept);
      else this.#config.delete(record.id);
    };
  }

  configAccess(record: PluginRecord): ConfigAccess {
    const store = () => {
      const found = this.#config.get(record.id);
      if (!found)
        throw new JovianError('JOVIAN_E_INTERNAL', `config of \`${record.id}\` used before it was opened`);
      return found;
    };
    return {
      get: async (key) => store().get(key),
      set: async (key, value) => void (await this.#audited(record, store(), { [key]: value }, 'plugin')),
      watch: (listener) => store().onDidChange(listener),
    };
  }

  stateAccess(record: PluginRecord): StateAccess {
    const store = () => {
      let found = this.#state.get(record.id);
      if (!found) {
        found = new PluginStateStore(dataDirLayout(this.#dataDir).pluginStateFile(record.id));
        this.#state.set(record.id, found);
      }
      return found;
    };
    return {
      get: (key) => store().get(key),
      set: (key, value) => store().set(key, value),
      delete: (key) => store().delete(key),
      keys: () => store().keys(),
    };
  }

  /** The config of any plugin, for `jovian config get|set`. @throws when it is invalid or needs migrating. */
  async view(record: PluginRecord): Promise<ConfigView> {
    const store = this.#config.get(record.id) ?? this.#create(record, {});
    if (!this.#config.has(record.id)) {
      try {
        await store.load();
      } catch (error) {
        if (isJovianError(error) && error.code === 'JOVIAN_E_CONFIG_MIGRATION_MISSING') {
          throw new JovianError(
            'JOVIAN_E_CONFIG_MIGRATION_MISSING',
            `${store.file} must be migrated by plugin \`${record.id}\` before it can be edited`,
            {
              hint: `activate the plugin once (for example \`jovian run ${record.id}\`) so that its migrations run`,
              where: error.where,
            },
          );
        }
        throw error;
      }
    }
    return {
      file: store.file,
      get: (key) => store.get(key),
      set: (key, value) => this.#audited(record, store, { [key]: value }, 'operator'),
      update: (patch) => this.#audited(record, store, patch, 'operator'),
      preview: (patch) => store.preview(patch),
    };
  }

  /** Problems of a plugin's config, as diagnostics (for `plugins doctor`). Never throws. */
  async check(record: PluginRecord): Promise<Diagnostic[]> {
    if (!record.manifest) return [];
    const store = this.#create(record, {});
    try {
      await store.load();
      return [];
    } catch (error) {
      if (error instanceof ConfigError) {
        return error.issues.map((issue) => ({
          code: issue.code,
          severity: 'error' as const,
          message: `config of \`${record.id}\`: \`${issue.key}\` ${issue.rule}`,
          hint: error.hint,
          where: issue.where,
          plugin: record.id,
        }));
      }
      const pending = isJovianError(error) && error.code === 'JOVIAN_E_CONFIG_MIGRATION_MISSING';
      return [
        {
          ...errorToDiagnostic(error, pending ? 'warning' : 'error', record.id),
          hint: pending
            ? 'the plugin migrates its config when it next activates'
            : errorToDiagnostic(error).hint,
        },
      ];
    }
  }

  async validateAll(
    records: readonly PluginRecord[],
  ): Promise<{ plugin: string; valid: boolean; message?: string }[]> {
    const results: { plugin: string; valid: boolean; message?: string }[] = [];
    for (const record of records) {
      if (!record.manifest?.config_schema.schema) continue;
      const problems = (await this.check(record)).filter((d) => d.severity === 'error');
      results.push(
        problems.length === 0
          ? { plugin: record.id, valid: true }
          : { plugin: record.id, valid: false, message: problems[0]!.message },
      );
    }
    return results;
  }

  /** Writes `patch` and records the outcome: the masked changes, or why it was refused. */
  async #audited(
    record: PluginRecord,
    store: PluginConfigStore,
    patch: Readonly<Record<string, unknown>>,
    actor: ConfigActor,
  ): Promise<ConfigChange[]> {
    const keys = Object.keys(patch);
    const entry = {
      plugin: record.id,
      action: 'config.set',
      target: `${store.file}#${keys.join(',')}`,
    };
    const by = actor === 'operator' ? 'by the operator' : 'by the plugin itself';
    try {
      const changes = await store.update(patch);
      this.#audit.record({
        ...entry,
        decision: 'allow',
        reason: `${by}; valid against its schema`,
        details: { changes: maskSecrets(store.schema, changes) },
      });
      return changes;
    } catch (error) {
      this.#audit.record({
        ...entry,
        decision: 'deny',
        reason: `${by}; refused: ${(error as Error).message}`,
        details: { keys },
      });
      throw error;
    }
  }

  #create(
    record: PluginRecord,
    migrations: Readonly<Record<number, Migration>>,
    manifest = record.manifest!,
  ): PluginConfigStore {
    return new PluginConfigStore({
      id: record.id,
      file: dataDirLayout(this.#dataDir).pluginConfigFile(record.id),
      spec: manifest.config_schema,
      overrides: projectOverrides(this.#project(), record.id),
      migrations,
    });
  }
}
