export {
  type LogFilter,
  type LogLine,
  matchesFilter,
  parseLogLine,
  pluginLogFile,
  pluginLogFiles,
  readPluginLog,
} from './log-files.js';
export { followPluginLog } from './log-follow.js';
export { LogHub, type LogHubOptions } from './log-hub.js';
export { isLogLevel, LOG_LEVELS, type LogLevel, type PluginLevelState } from './log-levels.js';
export { RotatingFile, type RotationOptions } from './rotating-file.js';
