import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { jovian } from './cli-helpers.js';
import { type ServeProcess, startServe } from './serve-process.js';

/** Three plugins tied by a dependency, an optional one on a plugin that is not installed, and an event. */
async function addConnectedPlugins(fixture: Fixture): Promise<void> {
  await fixture.add('store', {
    manifest: {
      name: 'Store',
      description: 'Keeps records.',
      permissions: { network_outbound: ['api.example.com:443'] },
      config_schema: {
        version: 1,
        schema: {
          type: 'object',
          required: ['endpoint'],
          properties: {
            endpoint: { type: 'string', description: 'Where records go' },
            retries: { type: 'integer', default: 3, minimum: 0, description: 'Attempts per record' },
            mode: { enum: ['fast', 'safe'], default: 'safe' },
          },
        },
      },
      contributes: {
        routes: [{ method: 'GET', path: '/records', description: 'Every record' }],
        jobs: { handlers: [{ name: 'compact', description: 'Shrinks the store' }] },
        events: { emit: ['store.saved'] },
      },
    },
  });
  await fixture.add('viewer', {
    manifest: {
      dependencies: [
        { id: 'store', version: '^1.0.0' },
        { id: 'ghost', optional: true },
      ],
      contributes: {
        hooks: ['on_chat'],
        commands: [{ name: 'show-records', description: 'Print the records' }],
        events: { subscribe: ['store.*'] },
      },
    },
  });
  await fixture.add('badge', { manifest: { extends: [{ id: 'viewer' }] } });
}

/** `plugin_report_YYYYMMDD.md` for a UTC date. */
const reportName = (date: Date) => `plugin_report_${date.toISOString().slice(0, 10).replace(/-/g, '')}.md`;

describe('jovian plugins docs and report', () => {
  let fixture: Fixture;
  let base: string[];
  let out: string;

  beforeEach(async () => {
    fixture = await createFixture();
    base = ['--plugins-dir', fixture.pluginsDir, '--data-dir', fixture.dataDir];
    out = join(fixture.root, 'out');
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  describe('plugins docs', () => {
    it('should document each plugin with its config table and a Mermaid diagram of its ties', async () => {
      await addConnectedPlugins(fixture);
      const result = await jovian([...base, 'plugins', 'docs', '--out', out]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('documented 3 plugins');
      const markdown = await readFile(join(out, 'docs', 'auto_docs', 'plugins.md'), 'utf8');

      expect(markdown).toContain('| key | type | default | description | required |');
      expect(markdown).toContain('| `endpoint` | string | - | Where records go | yes |');
      expect(markdown).toContain('| `retries` | integer | `3` | Attempts per record (minimum 0) | no |');
      expect(markdown).toContain('| `mode` | "fast" or "safe" | `"safe"` | - | no |');
      expect(markdown).toContain('- connect to api.example.com:443');
      expect(markdown).toContain('- route `GET /api/x/store/records` — Every record');
      expect(markdown).toContain('- job `compact` — Shrinks the store');
      expect(markdown).toContain('- command `jovian show-records` — Print the records');
      expect(markdown).toContain('- taps hook `on_chat`');
      expect(markdown).toContain('- subscribes to `store.*`');

      const mermaid = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)?.[1];
      expect(mermaid?.split('\n')[0]).toBe('flowchart LR');
      expect(mermaid).toContain('p_viewer -->|"depends on ^1.0.0"| p_store');
      expect(mermaid).toContain('p_viewer -.->|"optional"| p_ghost');
      expect(mermaid).toContain('p_ghost["ghost (not installed)"]');
      expect(mermaid).toContain('p_badge -->|"extends"| p_viewer');
      expect(mermaid).toContain('p_store -.->|"event store.saved"| p_viewer');
      for (const line of mermaid!.split('\n').slice(1)) {
        expect(line).toMatch(/^ {2}(p_\w+(\["[^"]*"\](:::\w+)?| -(->|\.->)\|"[^"]*"\| p_\w+)|classDef .+)$/);
      }

      const registry = JSON.parse(await readFile(join(out, 'plugins', 'registry.json'), 'utf8')) as {
        plugins: { id: string; dependencies: { id: string }[]; contributions: { jobs: unknown } }[];
      };
      expect(registry.plugins.map((p) => p.id)).toEqual(['badge', 'store', 'viewer']);
      expect(registry.plugins[2]!.dependencies.map((d) => d.id)).toEqual(['store', 'ghost']);
    });

    it('should write the same files when nothing changed, so they can be committed', async () => {
      await addConnectedPlugins(fixture);
      await jovian([...base, 'plugins', 'docs', '--out', out]);
      const first = await readFile(join(out, 'docs', 'auto_docs', 'plugins.md'), 'utf8');
      const firstRegistry = await readFile(join(out, 'plugins', 'registry.json'), 'utf8');
      await jovian([...base, 'plugins', 'docs', '--out', out]);
      expect(await readFile(join(out, 'docs', 'auto_docs', 'plugins.md'), 'utf8')).toBe(first);
      expect(await readFile(join(out, 'plugins', 'registry.json'), 'utf8')).toBe(firstRegistry);
    });
  });

  describe('plugins report', () => {
    it('should write the dated report with counts, states and the failed plugin’s error', async () => {
      await fixture.add('healthy');
      await fixture.add('orphan', { manifest: { dependencies: [{ id: 'ghost' }] } });
      await fixture.add('broken', { manifest: { version: 'one' } });
      await fixture.add('resting');
      expect((await jovian([...base, 'plugins', 'disable', 'resting'])).code).toBe(0);

      const before = new Date();
      const result = await jovian([...base, 'plugins', 'report', '--out', out]);
      const after = new Date();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('4 plugins: 0 active, 3 enabled, 1 disabled, 2 failed (local load)');
      const [file] = await readdir(join(out, 'reports'));
      expect([reportName(before), reportName(after)]).toContain(file);

      const report = await readFile(join(out, 'reports', file!), 'utf8');
      expect(report).toContain('| 4 | 0 | 3 | 1 | 2 |');
      expect(report).toMatch(
        /^\| healthy \| healthy \| 1\.0\.0 \| tool \| process \| resolved \| no check \| 0 \|$/m,
      );
      expect(report).toMatch(/^\| resting \| .* \| disabled \|/m);
      expect(report).toMatch(/^\| broken \| .* \| error \| no check \| 1 \|$/m);
      expect(report).toContain('### broken (error)');
      expect(report).toMatch(
        /broken\/plugin\.yaml:\d+:\d+: error: .*"one" is not a semantic version \[JOVIAN_E_MANIFEST_BAD_VERSION\]/,
      );
      expect(report).toContain('### orphan (blocked)');
      expect(report).toContain('blocked: plugin `orphan` requires `ghost`, which is not installed');
    });

    describe('with a running server', () => {
      let serve: ServeProcess | undefined;
      afterEach(async () => {
        await serve?.stop();
      });

      it('should take states and health checks from it', async () => {
        await fixture.add('keeper', {
          manifest: { type: 'system' },
          code: "export default { activate() {}, health() { return { status: 'ok', message: 'all good' }; } };",
        });
        await mkdir(fixture.dataDir, { recursive: true });
        await writeFile(join(fixture.dataDir, 'jovian.yaml'), 'health:\n  interval_ms: 50\n');
        serve = await startServe([...base, '--allow-inprocess', 'keeper']);
        // The first check runs after the first interval: wait for it, as an operator would.
        for (;;) {
          const health = (await (
            await fetch(`${serve.base}/api/health`, { headers: { authorization: `Bearer ${serve.token}` } })
          ).json()) as { plugins: Record<string, { check: unknown }> };
          if (health.plugins.keeper?.check) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const result = await jovian([...base, 'plugins', 'report', '--out', out, '--json']);
        expect(result.code).toBe(0);
        const { file, server, counts } = result.json<{ file: string; server: string; counts: unknown }>();
        expect(server).toBe(serve.base);
        expect(counts).toEqual({ total: 1, active: 1, enabled: 1, disabled: 0, failed: 0 });
        const report = await readFile(file, 'utf8');
        expect(report).toContain(`States and health checks from the running server at ${serve.base}.`);
        expect(report).toMatch(
          /^\| keeper \| keeper \| 1\.0\.0 \| system \| inprocess \| ready \| ok: all good \(/m,
        );
      }, 30_000);
    });
  });
});
