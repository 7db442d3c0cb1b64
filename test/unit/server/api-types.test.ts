/**
 * The API types web/ compiles against (src/server/api-types.ts) are written apart from the code that
 * builds the answers, so that the browser build needs nothing of Node: these type-level checks (run by
 * `npm run typecheck`) fail when the two drift apart.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { PluginConfigStore } from '../../../src/config/index.js';
import type {
  ChatHooks,
  EnableResult,
  HealthCheck,
  HostHealth,
  PluginDetails,
  PluginHost,
  PluginSummary,
} from '../../../src/host/index.js';
import type { AuditRecord, LogLine, MetricJson, PluginUsage } from '../../../src/observability/index.js';
import type {
  ApiAuditRecord,
  ApiConfigChange,
  ApiEnableResult,
  ApiHealth,
  ApiHealthCheck,
  ApiI18nMessages,
  ApiLogLine,
  ApiMetrics,
  ApiPanel,
  ApiPluginConfig,
  ApiPluginDetails,
  ApiPluginMetrics,
  ApiPluginSummary,
  ApiPluginUsage,
  ApiUiContributions,
  ApiWidget,
} from '../../../src/server/index.js';
import type { pluginMessages } from '../../../src/server/plugin-messages.js';
import type { uiContributions } from '../../../src/server/ui-contributions.js';
import type { Manifest, PanelContribution, WidgetContribution } from '../../../src/types.js';

describe('API types', () => {
  it('should describe GET /api/health and GET /api/audit exactly as the host builds them', () => {
    expectTypeOf<ApiHealthCheck>().toEqualTypeOf<HealthCheck>();
    expectTypeOf<ApiHealth>().toEqualTypeOf<HostHealth>();
    expectTypeOf<ApiAuditRecord>().toEqualTypeOf<AuditRecord>();
  });

  it('should describe a plugin of GET /api/plugins exactly as the host summarises it', () => {
    expectTypeOf<ApiPluginSummary>().toEqualTypeOf<PluginSummary>();
  });

  it('should promise clients only fields GET /api/plugins/:id sends', () => {
    expectTypeOf<PluginDetails & { readonly usage: PluginUsage }>().toExtend<ApiPluginDetails>();
  });

  it('should describe the usage of GET /api/plugins/:id and the JSON metrics exactly as the host gives them', () => {
    expectTypeOf<ApiPluginUsage>().toEqualTypeOf<PluginUsage>();
    expectTypeOf<ApiMetrics['metrics'][number]>().toEqualTypeOf<MetricJson>();
  });

  it('should describe enable/disable answers and log lines exactly', () => {
    expectTypeOf<ApiEnableResult>().toEqualTypeOf<EnableResult>();
    expectTypeOf<ApiLogLine>().toEqualTypeOf<LogLine>();
  });

  it('should describe GET /api/plugins/:id/config with the manifest’s schema, and the changes a PUT lists', () => {
    expectTypeOf<ApiPluginConfig['schema']>().toEqualTypeOf<NonNullable<
      Manifest['config_schema']['schema']
    > | null>();
    type Change = Awaited<ReturnType<PluginConfigStore['preview']>>['changes'][number];
    expectTypeOf<Change>().toExtend<ApiConfigChange>();
  });

  it('should describe GET /api/ui and GET /api/i18n/:locale exactly as they are built', () => {
    expectTypeOf<Awaited<ReturnType<typeof uiContributions>>>().toEqualTypeOf<ApiUiContributions>();
    expectTypeOf<Awaited<ReturnType<typeof pluginMessages>>>().toEqualTypeOf<ApiI18nMessages>();
    expectTypeOf<ApiPanel['titleKey']>().toEqualTypeOf<NonNullable<PanelContribution['title_key']> | null>();
    expectTypeOf<ApiPanel['id']>().toEqualTypeOf<PanelContribution['id']>();
    expectTypeOf<ApiWidget['mountPoint']>().toEqualTypeOf<WidgetContribution['mount_point']>();
  });

  it('should describe GET /api/plugins/:id/metrics with what the host reads', () => {
    type Read = Awaited<ReturnType<PluginHost<ChatHooks>['readMetrics']>>;
    expectTypeOf<ApiPluginMetrics['values']>().toEqualTypeOf<Read>();
    expectTypeOf<ApiPluginMetrics['declared']>().toEqualTypeOf<
      Manifest['contributes']['metrics']['enabled']
    >();
  });
});
