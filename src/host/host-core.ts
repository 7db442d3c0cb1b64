import type { ContributionRegistry } from '../bridge/index.js';
import type { ProjectConfig } from '../config/index.js';
import type { EventBus } from '../events/index.js';
import type { HookMap } from '../hooks/index.js';
import type { AuditLog, HostMetrics, LogHub } from '../observability/index.js';
import type { PluginState } from '../types.js';
import type { HealthSettings } from './health-check.js';
import type { HostJobs } from './host-jobs.js';
import type { HostConfig } from './host-options.js';
import type { PluginRecord } from './plugin-record.js';

/** The part of the host its per-plugin machinery relies on (kept small on purpose). */
export interface HostCore<H extends HookMap> {
  readonly config: HostConfig<H>;
  readonly hooks: H;
  readonly events: EventBus;
  readonly logs: LogHub;
  readonly audit: AuditLog;
  readonly metrics: HostMetrics;
  readonly contributions: ContributionRegistry;
  readonly jobs: HostJobs;
  readonly developerMode: boolean;
  transition(record: PluginRecord, to: PluginState, reason?: string, code?: string): void;
  scheduleResolve(): Promise<void>;
  requireStarted(): void;
  projectOverrides(): ProjectConfig | undefined;
  /** Takes a plugin out of `error` (back to `resolved`, dependents unblocked); activates it if asked. */
  recover(record: PluginRecord, reason: string, activate: boolean): Promise<void>;
  /** Stops an idle plugin (state `stopped`); its next activation event loads it again. */
  hibernate(record: PluginRecord, reason: string): Promise<void>;
  /** Stops an active plugin after every earlier registry change (state `stopped`). */
  stopActive(record: PluginRecord, reason: string): Promise<boolean>;
  /** Health-check settings: the host's options, overridden key by key by jovian.yaml's `health`. */
  healthSettings(): HealthSettings;
}
