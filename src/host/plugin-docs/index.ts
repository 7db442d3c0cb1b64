export { type ConfigRow, configRows } from './config-table.js';
export { ecosystemMermaid } from './ecosystem-mermaid.js';
export { grantSentence, NO_PERMISSION_SENTENCE, permissionSentences } from './permission-sentences.js';
export { type PluginDoc, pluginDocsOf } from './plugin-doc-model.js';
export { pluginRegistryJson } from './plugin-registry.js';
export {
  buildPluginReport,
  type LiveHealth,
  type LivePlugin,
  type PluginReport,
  type PluginReportCounts,
  type PluginReportEntry,
  reportFileName,
} from './plugin-report.js';
export { pluginsMarkdown } from './plugins-markdown.js';
export { reportMarkdown } from './report-markdown.js';
