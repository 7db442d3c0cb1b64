import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { lockFileFor } from '../config/index.js';
import type { HookMap } from '../hooks/index.js';
import type { IsolationFloor, TrustLevel } from '../security/index.js';
import { DEFAULT_HEALTH, type HealthSettings } from './health-check.js';
import { DEFAULT_RECOVERY, type RecoveryOptions } from './plugin-health.js';
import { JOVIAN_VERSION } from './version.js';

/** Options of `createHost()`. Every field is optional. */
export interface HostOptions<H extends HookMap = HookMap> {
  /** Folders scanned for plugins (each sub-folder is a plugin); default `<dataDir>/plugins`. */
  readonly pluginDirs?: readonly string[];
  /** Where config, plugin data, logs and caches live; default `$JOVIAN_DATA_DIR` or `~/.jovian`. */
  readonly dataDir?: string;
  /** A project file, `<name>.jovian.yaml`: per-project enabled flags and config overrides. */
  readonly projectFile?: string;
  /** The hooks plugins may tap, declared by the application. */
  readonly hooks?: H;
  /**
   * When jovian.lock exists (next to the project file, else in the data directory), rewrite the
   * entries of plugins that differ from it instead of refusing to start them (docs/packaging.md#lockfile).
   * Default false.
   */
  readonly updateLock?: boolean;
  /** Deadline for loading and activating a plugin (ms); a plugin's `limits.timeout_ms` overrides. Default 10 000. */
  readonly activationTimeoutMs?: number;
  /** Deadline for deactivate() (ms). Default 5 000. */
  readonly deactivationTimeoutMs?: number;
  /** Deadline for run() and command handlers (ms); a plugin's `limits.timeout_ms` overrides. Default 60 000. */
  readonly callTimeoutMs?: number;
  /**
   * Structured-clone every value crossing an in-process plugin's boundary, as isolated runtimes do,
   * so non-cloneable values fail early. Default: on in developer mode.
   */
  readonly strictClone?: boolean;
  /** The version plugins' `engines.jovian` ranges are checked against; default this package's version. */
  readonly hostVersion?: string;
  /** Cache parsed manifests in `<dataDir>/cache` (validated by file stamps). Default true. */
  readonly manifestCache?: boolean;
  /** Command names plugins may not contribute (the application's own commands). */
  readonly reservedCommands?: Iterable<string>;
  /**
   * Developer mode: plugins can be reloaded (`host.reload`, `watch`) and values crossing in-process
   * boundaries are cloned. Default: `developer_mode` in jovian.yaml, else off.
   */
  readonly developerMode?: boolean;
  /**
   * Hot reload calls the plugin's own taps of these hooks, when the host has them: `stop` on the old
   * version before it is unloaded, `start` on the new one once it is active. Default `on_shutdown` and
   * `on_startup`; `null` calls none.
   */
  readonly reloadHooks?: { readonly stop?: string | null; readonly start?: string | null };
  /**
   * Circuit breaker, restart backoff and hibernation (docs/lifecycle.md). Defaults: the breaker opens
   * after 5 consecutive failures for 30 s (doubling up to 10 min); restarts after 1 s, doubling up to
   * 60 s; stable after 60 s up; no hibernation unless a plugin sets `limits.idle_timeout_ms`; isolated
   * plugins pinged every 5 s (stopped if a ping is not answered within their call deadline).
   */
  /**
   * The least isolation per trust level, and plugins allowed below it (docs/permissions.md). jovian.yaml's
   * `security.isolation` wins over these, key by key. Default: unsigned plugins run at least in their
   * own process, community ones in a worker.
   */
  readonly isolation?: {
    readonly floor?: Partial<Record<TrustLevel, IsolationFloor>>;
    readonly allow?: readonly string[];
  };
  /**
   * The trust store: an OpenSSH allowed_signers file whose keys, with their `trust=` level, sign plugins
   * (docs/packaging.md#trust-store). A plugin folder with a plugin.sig is verified against it when it is
   * loaded. Default `<dataDir>/allowed_signers`; a missing file trusts no key.
   */
  readonly trustStore?: string;
  /**
   * Health checks of active plugins that implement health() (docs/lifecycle.md#health-checks).
   * jovian.yaml's `health` wins over these, key by key. Defaults: every 30 s, 5 s to answer, acted
   * on after 3 failing checks in a row.
   */
  readonly health?: {
    readonly intervalMs?: number;
    readonly timeoutMs?: number;
    readonly failureThreshold?: number;
  };
  readonly recovery?: {
    readonly breakerThreshold?: number;
    readonly breakerCooldownMs?: number;
    readonly breakerMaxCooldownMs?: number;
    readonly restartDelayMs?: number;
    readonly maxRestartDelayMs?: number;
    readonly stableAfterMs?: number;
    readonly idleTimeoutMs?: number;
    readonly livenessIntervalMs?: number;
  };
}

/** The options after normalisation: every field present, paths absolute. Nothing reads raw options. */
export interface HostConfig<H extends HookMap = HookMap> {
  readonly pluginDirs: readonly string[];
  readonly dataDir: string;
  readonly projectFile: string | undefined;
  /** The project folder: the project file's folder, or the working directory. */
  readonly projectDir: string;
  /** jovian.lock: next to the project file, else in the data directory. */
  readonly lockFile: string;
  readonly updateLock: boolean;
  readonly hooks: H;
  readonly activationTimeoutMs: number;
  readonly deactivationTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly strictClone: boolean | undefined;
  readonly hostVersion: string;
  readonly manifestCache: boolean;
  readonly reservedCommands: readonly string[];
  readonly recovery: RecoveryOptions;
  /** Health-check settings before jovian.yaml's `health` is applied. */
  readonly health: HealthSettings;
  readonly isolation: HostOptions['isolation'];
  /** The trust store file (absolute); it may not exist. */
  readonly trustStore: string;
  readonly developerMode: boolean | undefined;
  readonly reloadHooks: { readonly stop: string | null; readonly start: string | null };
}

/**
 * The plugins directories: the given ones (default `<data-dir>/plugins`), then `<data-dir>/plugins`
 * itself when it exists — where `jovian plugins install` puts plugins, always scanned.
 */
function withInstalledPlugins(dirs: readonly string[] | undefined, dataDir: string): string[] {
  const installed = join(dataDir, 'plugins');
  const all = (dirs ?? [installed]).map((dir) => resolve(dir));
  if (!all.includes(installed) && existsSync(installed)) all.push(installed);
  return all;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.JOVIAN_DATA_DIR ?? join(homedir(), '.jovian'));
}

export function normaliseHostOptions<H extends HookMap>(options: HostOptions<H>): HostConfig<H> {
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const projectFile = options.projectFile === undefined ? undefined : resolve(options.projectFile);
  return {
    pluginDirs: withInstalledPlugins(options.pluginDirs, dataDir),
    dataDir,
    projectFile,
    projectDir: projectFile ? dirname(projectFile) : process.cwd(),
    lockFile: lockFileFor({ dataDir, projectFile }),
    updateLock: options.updateLock ?? false,
    hooks: options.hooks ?? ({} as H),
    activationTimeoutMs: positive(options.activationTimeoutMs, 10_000),
    deactivationTimeoutMs: positive(options.deactivationTimeoutMs, 5_000),
    callTimeoutMs: positive(options.callTimeoutMs, 60_000),
    strictClone: options.strictClone,
    hostVersion: options.hostVersion ?? JOVIAN_VERSION,
    manifestCache: options.manifestCache ?? true,
    reservedCommands: [...(options.reservedCommands ?? [])],
    recovery: recoveryOptions(options.recovery),
    health: {
      intervalMs: positive(options.health?.intervalMs, DEFAULT_HEALTH.intervalMs),
      timeoutMs: positive(options.health?.timeoutMs, DEFAULT_HEALTH.timeoutMs),
      failureThreshold: positive(options.health?.failureThreshold, DEFAULT_HEALTH.failureThreshold),
    },
    isolation: options.isolation,
    trustStore: resolve(options.trustStore ?? join(dataDir, 'allowed_signers')),
    developerMode: options.developerMode,
    reloadHooks: {
      stop: options.reloadHooks?.stop === undefined ? 'on_shutdown' : options.reloadHooks.stop,
      start: options.reloadHooks?.start === undefined ? 'on_startup' : options.reloadHooks.start,
    },
  };
}

function recoveryOptions(raw: HostOptions['recovery']): RecoveryOptions {
  const d = DEFAULT_RECOVERY;
  return {
    breaker: {
      threshold: positive(raw?.breakerThreshold, d.breaker.threshold),
      cooldownMs: positive(raw?.breakerCooldownMs, d.breaker.cooldownMs),
      maxCooldownMs: positive(raw?.breakerMaxCooldownMs, d.breaker.maxCooldownMs),
    },
    restartDelayMs: positive(raw?.restartDelayMs, d.restartDelayMs),
    maxRestartDelayMs: positive(raw?.maxRestartDelayMs, d.maxRestartDelayMs),
    stableAfterMs: positive(raw?.stableAfterMs, d.stableAfterMs),
    idleTimeoutMs: raw?.idleTimeoutMs === undefined ? undefined : positive(raw.idleTimeoutMs, 1),
    livenessIntervalMs: positive(raw?.livenessIntervalMs, d.livenessIntervalMs),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
