export {
  type BoundHandler,
  ContributionRegistry,
  type DeclaredContribution,
} from './contribution-registry.js';
export { createHostHandlers } from './host-handlers.js';
export type {
  ConfigAccess,
  EventSlots,
  HookSlots,
  JobAccess,
  PluginDirectoryAccess,
  PluginScope,
  StateAccess,
} from './plugin-scope.js';
export { createFsService } from './services/fs-service.js';
export { createHttpService } from './services/http-service.js';
export { createRunnerService } from './services/runner-service.js';
export type { AuditEntry, AuditSink, ServiceScope } from './services/service-scope.js';
