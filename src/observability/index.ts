export {
  type AuditEntry,
  type AuditFilter,
  AuditLog,
  type AuditRecord,
  type AuditSink,
} from './audit-log.js';
export { LogHub, type LogHubOptions, type LogLevel, type LogLine } from './log-hub.js';
export * from './metrics/index.js';
