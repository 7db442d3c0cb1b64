export { type AuditEntry, AuditLog, type AuditRecord } from './audit-log.js';
export { LogHub, type LogHubOptions, type LogLevel, type LogLine } from './log-hub.js';
