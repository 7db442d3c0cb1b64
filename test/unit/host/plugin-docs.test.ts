/** The pieces of the generated plugin docs: the config table and the diagram of ties. */
import { describe, expect, it } from 'vitest';
import { configRows, ecosystemMermaid, type PluginDoc } from '../../../src/host/index.js';
import { EMPTY_CONTRIBUTIONS } from '../../../src/manifest/index.js';

function doc(id: string, extra: Partial<PluginDoc> = {}): PluginDoc {
  return {
    id,
    name: id,
    description: '',
    version: '1.0.0',
    type: 'tool',
    runtime: 'process',
    trust: 'unsigned',
    legacy: false,
    permissions: null,
    dependencies: [],
    extends: [],
    contributes: EMPTY_CONTRIBUTIONS,
    configSchema: undefined,
    problems: [],
    ...extra,
  };
}

describe('#configRows', () => {
  it('should give one row per setting, nested ones dotted, with type, default and whether it is required', () => {
    const rows = configRows({
      type: 'object',
      required: ['server'],
      properties: {
        server: {
          type: 'object',
          title: 'Server',
          required: ['host'],
          properties: {
            host: { type: 'string', format: 'hostname' },
            port: { type: ['integer', 'null'], default: null },
          },
        },
        tags: {
          type: 'array',
          items: { type: 'string' },
          default: ['a'],
          description: 'Labels',
          maxLength: 3,
        },
      },
    });
    expect(rows).toEqual([
      { key: 'server', type: 'object', default: null, description: 'Server', required: true },
      { key: 'server.host', type: 'string', default: null, description: '', required: true },
      { key: 'server.port', type: 'integer | null', default: 'null', description: '', required: false },
      {
        key: 'tags',
        type: 'array of string',
        default: '["a"]',
        description: 'Labels (at most 3 characters)',
        required: false,
      },
    ]);
  });

  it('should give no rows for a plugin without a schema', () => {
    expect(configRows(undefined)).toEqual([]);
    expect(configRows({ type: 'object' })).toEqual([]);
  });
});

describe('#ecosystemMermaid', () => {
  const events = (emit: string[], subscribe: string[]) => ({
    ...EMPTY_CONTRIBUTIONS,
    events: { emit, subscribe },
  });

  it('should draw an event arrow to each plugin whose pattern matches, never to the emitter itself', () => {
    const text = ecosystemMermaid([
      doc('billing', { contributes: events(['billing.paid'], ['billing.*']) }),
      doc('mailer', { contributes: events([], ['billing.*']) }),
      doc('ledger', { contributes: events([], ['**']) }),
      doc('quiet', { contributes: events([], ['orders.*']) }),
    ]);
    const arrows = text.split('\n').filter((line) => line.includes('event'));
    expect(arrows).toEqual([
      '  p_billing -.->|"event billing.paid"| p_mailer',
      '  p_billing -.->|"event billing.paid"| p_ledger',
    ]);
  });

  it('should give ids with dashes a node key Mermaid accepts, and keep quotes out of labels', () => {
    const text = ecosystemMermaid([
      doc('web-ui', {
        version: '1.0.0-"beta"',
        dependencies: [{ id: 'core-api', version: '>=2', optional: false }],
      }),
    ]);
    expect(text).toContain('p_web_ui["web-ui@1.0.0-#quot;beta#quot;"]');
    expect(text).toContain('p_web_ui -->|"depends on >=2"| p_core_api');
    expect(text).toContain('p_core_api["core-api (not installed)"]:::missing');
  });
});
