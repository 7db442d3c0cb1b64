export {
  type HandlerOutcome,
  JobManager,
  type JobManagerOptions,
  type JobPolicy,
  type JobProgressReport,
  type JobRunner,
} from './job-manager.js';
export { type JobFilter, JobStore, type Retention } from './job-store.js';
