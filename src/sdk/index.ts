/**
 * The plugin author's door (`jovian/sdk`): `definePlugin` and the types of the plugin API. Import only
 * from here in plugins; it is small enough to bundle into a plugin.
 */

export type { ChatAutomation, ChatCommand, ChatCommandReply, ChatMessage } from '../host/index.js';
export type {
  BusEventData,
  CommandInvocation,
  ConfigChange,
  ConfigMigration,
  FileStat,
  HealthReport,
  HealthStatus,
  HttpRequest,
  HttpResponse,
  JobHandle,
  JobHandler,
  LogLevel,
  PluginConfig,
  PluginContext,
  PluginContributions,
  PluginDefinition,
  PluginDirectory,
  PluginEvents,
  PluginFileSystem,
  PluginHooks,
  PluginHttp,
  PluginJobs,
  PluginLogger,
  PluginRunner,
  PluginStateApi,
  Proxied,
  Registration,
  RouteRequest,
  RouteResponse,
  RunOptions,
  RunResult,
} from '../runtimes/index.js';
export { definePlugin } from './define-plugin.js';
