export {
  type AuditEntry,
  type AuditFilter,
  AuditLog,
  type AuditRecord,
  type AuditSink,
} from './audit-log.js';
export * from './logs/index.js';
export * from './metrics/index.js';
