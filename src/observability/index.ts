export {
  type AuditRow,
  type ChainProblem,
  type ChainReport,
  canonicalJson,
  GENESIS_HASH,
  hashOf,
} from './audit-chain.js';
export {
  AUDIT_ACTIONS,
  type AuditEntry,
  type AuditFilter,
  type AuditQuery,
  type AuditRecord,
  type AuditSink,
} from './audit-entry.js';
export { AuditLog } from './audit-log.js';
export { AuditStore } from './audit-store.js';
export * from './logs/index.js';
export * from './metrics/index.js';
