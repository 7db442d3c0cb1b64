import type { ManifestIdentity } from '../manifest/index.js';
import type { PluginDefinition, PluginInstance } from '../runtimes/index.js';
import type { TrustLevel } from '../security/index.js';
import type {
  Diagnostic,
  Manifest,
  PluginCategory,
  PluginOutcome,
  PluginState,
  RuntimeKind,
} from '../types.js';
import type { DisposableStore } from '../util/index.js';
import type { HealthCheck } from './health-check.js';
import type { PluginHealth } from './plugin-health.js';
import type { PluginSignature } from './plugin-trust.js';

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);
const NO_OUTCOME: PluginOutcome = Object.freeze({});

/** What exists only while a plugin's code is loaded. */
export interface ActivePlugin {
  readonly instance: PluginInstance;
  /** Everything registered on the plugin's behalf; disposed when it stops. */
  readonly registrations: DisposableStore;
  /** Cached API method names (ctx.plugins.get). */
  apiMethods?: string[];
}

/** Which version of a plugin's code runs (hot reload). */
export interface PluginCode {
  /** Appended to the module URL: a new value loads the file afresh; an old one, the version it loaded. */
  readonly cacheBust?: string | undefined;
  /** The code as text, for runtimes that can run it from memory (Lua). */
  readonly source?: string | undefined;
}

/**
 * One plugin in the registry. An inactive plugin holds its frozen manifest and a few scalars — nothing
 * else — so that installed-but-unused plugins cost almost nothing.
 */
export class PluginRecord {
  readonly id: string;
  readonly category: PluginCategory;
  /** `manifest`: plugin.yaml; `legacy`: wrapped by the legacy adapter; `core`: built into the host. */
  readonly kind: 'manifest' | 'legacy' | 'core';
  readonly dir: string;
  readonly file: string;
  manifest: Manifest | undefined;
  identity: ManifestIdentity;
  diagnostics: readonly Diagnostic[] = NO_DIAGNOSTICS;
  state: PluginState = 'discovered';
  /** Why the plugin is blocked, disabled or in error. */
  reason: string | undefined;
  /** The error code behind `reason`, when there is one. */
  reasonCode: string | undefined;
  /** When `state` was entered (ms since the epoch). */
  since = Date.now();
  outcome: PluginOutcome = NO_OUTCOME;
  /** Loaded in advance (core and legacy plugins). */
  definition: PluginDefinition | undefined;
  active: ActivePlugin | undefined;
  /** The activation in flight: concurrent activations share it. */
  activation: Promise<void> | undefined;
  /** Failures of taps, handlers and calls charged to this plugin. */
  failures = 0;
  /**
   * How far the plugin is trusted: `official` for core plugins, its signer's level when its plugin.sig
   * verified at load, else `unsigned`. Kept across hot reloads.
   */
  readonly trust: TrustLevel;
  /** Who signed it, when its signature verified (updated when a reload verifies a new one); else undefined. */
  signature: PluginSignature | undefined;
  /** Unsigned, loaded only because strict mode allows unsigned local plugins (the "dev / unsigned" badge). */
  readonly devUnsigned: boolean;
  /**
   * What the signature check said at load (a strict-mode refusal, a permissive-mode warning), also in
   * `diagnostics`: a hot reload carries it over, so a reload never lifts a refusal.
   */
  readonly trustDiagnostics: readonly Diagnostic[];
  /** The runtime plugin.yaml asks for, when the isolation policy moved the plugin to another one. */
  declaredRuntime: RuntimeKind | undefined;
  /** Breaker, restarts and use count: created the first time the plugin is used. */
  health: PluginHealth | undefined;
  /**
   * The last health check (health-monitor.ts). Kept across restarts until a new check replaces it: a
   * system plugin restarted for failing keeps the host degraded until a check passes.
   */
  check: HealthCheck | undefined;
  /** The version of the code loaded last (hot reload); undefined: whatever the entry file holds. */
  code: PluginCode | undefined;
  /** The last reload: when, and whether it worked (shown by `plugins info`). */
  lastReload: { readonly at: string; readonly ok: boolean; readonly error?: string } | undefined;

  constructor(init: {
    id: string;
    category: PluginCategory;
    kind: PluginRecord['kind'];
    dir: string;
    file: string;
    manifest: Manifest | undefined;
    identity: ManifestIdentity;
    diagnostics?: readonly Diagnostic[];
    definition?: PluginDefinition;
    trust?: TrustLevel;
    signature?: PluginSignature | undefined;
    devUnsigned?: boolean;
    trustDiagnostics?: readonly Diagnostic[];
  }) {
    this.trust = init.trust ?? (init.kind === 'core' ? 'official' : 'unsigned');
    this.signature = init.signature;
    this.devUnsigned = init.devUnsigned ?? false;
    this.trustDiagnostics = init.trustDiagnostics ?? NO_DIAGNOSTICS;
    this.id = init.id;
    this.category = init.category;
    this.kind = init.kind;
    this.dir = init.dir;
    this.file = init.file;
    this.manifest = init.manifest;
    this.identity = init.identity;
    if (init.diagnostics && init.diagnostics.length > 0) this.diagnostics = init.diagnostics;
    this.definition = init.definition;
  }

  get legacy(): boolean {
    return this.kind === 'legacy';
  }

  addDiagnostics(more: readonly Diagnostic[]): void {
    if (more.length > 0) this.diagnostics = [...this.diagnostics, ...more];
  }
}
