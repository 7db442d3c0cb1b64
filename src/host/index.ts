export type { CommandInvocation, RouteRequest } from '../runtimes/index.js';
export * from './chat/index.js';
export { CORE_PLUGIN_IDS } from './core-plugins.js';
export { createHost } from './create-host.js';
export { type DoctorReport, runDoctor } from './doctor.js';
export type { HealthCheck, HealthSettings } from './health-check.js';
export { type DegradedBy, type HostHealth, hostHealth } from './host-health.js';
export { HostJobs } from './host-jobs.js';
export type { HostLock, LockChange, LockVerification, LockWriteResult } from './host-lock.js';
export { defaultDataDir, type HostConfig, type HostOptions, normaliseHostOptions } from './host-options.js';
export { enabledDependents, knownVersions, proveFirstStart } from './install-support.js';
export type { LockFinding } from './lock-findings.js';
export * from './plugin-docs/index.js';
export { type EnableResult, PluginHost } from './plugin-host.js';
export { describePlugin, type PluginDetails, type PluginSummary, summarize } from './plugin-info.js';
export type { PluginRecord } from './plugin-record.js';
export type { ReloadResult } from './plugin-reload.js';
export type { PluginSignature } from './plugin-trust.js';
export type { PluginWatch, WatchOptions } from './plugin-watcher.js';
export {
  ACTIVATABLE_STATES,
  assertTransition,
  canTransition,
  TRANSITIONS,
} from './state-machine.js';
export { JOVIAN_VERSION } from './version.js';
