/**
 * Hot reload (developer mode) of plugin folders in every runtime that runs code, through the real
 * host: `inprocess`, `worker` and `process` (Node), a Python program over stdio, and a Lua folder
 * plugin. An
 * edited entry file or imported module changes what the plugin answers; a new command in plugin.yaml
 * is served; a new version that does not parse or whose activate throws leaves the previous one
 * answering, with a crash dump and `plugin.reload_failed`; a fixed version is picked up afterwards; and
 * saving a file while the host watches reloads the plugin by itself. Needs python3 on PATH.
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AsyncSeriesWaterfallHook, createHost, type PluginHost } from '../../src/index.js';
import { AS_DECLARED, createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { ROOT } from './cli-helpers.js';

/** One version of a plugin: what `run` answers (from an imported module where the language has them). */
interface Version {
  readonly version: string;
  readonly answer: string;
  /** A second command, declared in plugin.yaml and registered by the code. */
  readonly withCommand?: boolean;
  readonly broken?: 'syntax' | 'activate';
}

interface Flavour {
  readonly id: string;
  readonly label: string;
  /** The file an edit of the answer touches: an imported module, or the entry file. */
  readonly answerFile: string;
  manifest(version: Version): Record<string, unknown>;
  files(version: Version): Record<string, string>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const hooks = () => ({ decorate: new AsyncSeriesWaterfallHook<string>({ name: 'decorate' }) });

/** Command names take no underscore. */
const command = (id: string, name: string) => `${id.replaceAll('_', '-')}-${name}`;

const commands = (id: string, version: Version) => [
  { name: command(id, 'version'), description: 'Say the version' },
  ...(version.withCommand ? [{ name: command(id, 'hello'), description: 'Say hello' }] : []),
];

/** A Node plugin: index.mjs imports answer.mjs. */
const nodeFlavour = (runtime: 'inprocess' | 'worker' | 'process'): Flavour => {
  const id = `node_${runtime}`;
  return {
    id,
    label: `a ${runtime} plugin (Node)`,
    answerFile: 'answer.mjs',
    manifest: (v) => ({
      runtime,
      main: 'index.mjs',
      activation: ['onStartup'],
      contributes: { hooks: ['decorate'], commands: commands(id, v) },
    }),
    files: (v) => ({
      'answer.mjs': `export const answer = ${JSON.stringify(v.answer)};\n`,
      'index.mjs': `import { answer } from './answer.mjs';
export default {
  async activate(ctx) {
    ${v.broken === 'activate' ? "throw new Error('activate broke on purpose');" : ''}
    await ctx.hooks.tap('decorate', (text) => text + ' [' + answer + ']');
    await ctx.contributions.registerCommand('${command(id, 'version')}', () => 'version ${v.version}');
    ${v.withCommand ? `await ctx.contributions.registerCommand('${command(id, 'hello')}', () => 'hello from ' + answer);` : ''}
  },
  run() { return { answer }; }${v.broken === 'syntax' ? ' oops(' : ''}
};
`,
    }),
  };
};

/** A Python program over stdio (sdk/python/jovian_plugin.py): plugin.py imports answer.py. */
const pythonFlavour: Flavour = {
  id: 'python_process',
  label: 'a Python program over stdio',
  answerFile: 'answer.py',
  manifest: (v) => ({
    runtime: 'process',
    main: 'plugin.py',
    command: ['python3', '-B', 'plugin.py'],
    activation: ['onStartup'],
    contributes: { hooks: ['decorate'], commands: commands('python_process', v) },
  }),
  files: (v) => ({
    'answer.py': `ANSWER = ${JSON.stringify(v.answer)}\n`,
    'plugin.py': `import sys
sys.path.insert(0, ${JSON.stringify(join(ROOT, 'sdk', 'python'))})
from jovian_plugin import Plugin
from answer import ANSWER

plugin = Plugin()

@plugin.activate
def ready():
    ${v.broken === 'activate' ? 'raise RuntimeError("activate broke on purpose")' : 'pass'}

@plugin.run
def run(input):
    return {"answer": ANSWER}${v.broken === 'syntax' ? ' oops(' : ''}

@plugin.tap("decorate")
def decorate(text):
    return text + " [" + ANSWER + "]"

@plugin.command("python-process-version")
def version(invocation):
    return "version ${v.version}"
${
  v.withCommand
    ? `
@plugin.command("python-process-hello")
def hello(invocation):
    return "hello from " + ANSWER
`
    : ''
}
if __name__ == "__main__":
    plugin.serve()
`,
  }),
};

/** A Lua folder plugin (plugin.yaml + main.lua; Lua plugins import no modules). */
const luaFlavour: Flavour = {
  id: 'lua_folder',
  label: 'a Lua folder plugin',
  answerFile: 'main.lua',
  manifest: () => ({
    runtime: 'lua',
    main: 'main.lua',
    activation: ['onStartup'],
    contributes: { hooks: ['decorate'] },
  }),
  files: (v) => ({
    'main.lua': `function run(input)
    return { answer = "${v.answer}" }
end

function decorate(text)
    return text .. " [${v.answer}]"
end
${v.broken === 'syntax' ? 'function oops(\n' : ''}${v.broken === 'activate' ? 'error("activate broke on purpose")\n' : ''}`,
  }),
};

describe.each([
  nodeFlavour('inprocess'),
  nodeFlavour('worker'),
  nodeFlavour('process'),
  pythonFlavour,
  luaFlavour,
])('hot reload of $label', (flavour) => {
  const { id } = flavour;
  let fixture: Fixture;
  let host: PluginHost<ReturnType<typeof hooks>>;
  const events: { topic: string; payload: Record<string, unknown> }[] = [];
  const dir = () => join(fixture.pluginsDir, id);
  /** What the plugin answers through run(), checked to match what its hook tap says. */
  const answer = async () => {
    const { answer } = (await host.run(id, {})) as { answer: string };
    expect(await host.hooks.decorate.call('text')).toBe(`text [${answer}]`);
    return answer;
  };
  const hasCommands = flavour !== luaFlavour;

  const write = async (version: Version, only?: string) => {
    const files = flavour.files(version);
    for (const [name, text] of Object.entries(files))
      if (only === undefined || only === name) await writeFile(join(dir(), name), text);
    if (only === undefined) {
      const manifest = {
        id,
        type: 'tool',
        version: version.version,
        engines: { jovian: '*' },
        ...flavour.manifest(version),
      };
      await writeFile(join(dir(), 'plugin.yaml'), stringify(manifest));
    }
  };

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add(id, {});
    await rm(join(dir(), 'index.mjs'));
    await write({ version: '1.0.0', answer: 'first' });
    host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
      developerMode: true,
    });
    await host.start();
    for (const topic of ['plugin.reloaded', 'plugin.reload_failed'])
      host.events.subscribe(
        topic,
        (event) => void events.push({ topic, payload: event.payload as Record<string, unknown> }),
      );
    expect(await answer()).toBe('first');
    expect(host.record(id)?.state).toBe('ready');
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should answer with the edited module after a reload', async () => {
    events.length = 0;
    const pid = host.record(id)?.active?.instance.pid;
    await write({ version: '1.0.0', answer: 'second' }, flavour.answerFile);
    expect(await host.reload(id)).toMatchObject({ ok: true, from: '1.0.0', to: '1.0.0', wasActive: true });
    expect(await answer()).toBe('second');
    // The previous version's process is gone (a worker or Lua plugin has no process of its own).
    if (pid !== undefined) expect(isRunning(pid)).toBe(false);
    expect(events.map((event) => event.topic)).toEqual(['plugin.reloaded']);
  });

  it.runIf(hasCommands)('should serve a command added to plugin.yaml by the new version', async () => {
    await expect(host.invokeCommand(command(id, 'hello'), { args: [], options: {} })).rejects.toBeDefined();
    await write({ version: '1.1.0', answer: 'third', withCommand: true });
    expect(await host.reload(id)).toMatchObject({ ok: true, from: '1.0.0', to: '1.1.0' });
    expect(await host.invokeCommand(command(id, 'hello'), { args: [], options: {} })).toBe(
      'hello from third',
    );
    expect(await host.invokeCommand(command(id, 'version'), { args: [], options: {} })).toBe('version 1.1.0');
    expect(host.commands().map((command) => command.key)).toContain(command(id, 'hello'));
  });

  it.each(['syntax', 'activate'] as const)(
    'should keep the previous version answering when the new one fails (%s), with a crash dump',
    async (broken) => {
      const before = await answer();
      const from = host.record(id)?.manifest?.version;
      events.length = 0;
      await write({ version: '2.0.0', answer: 'broken', broken, withCommand: true });
      const result = await host.reload(id);
      expect(result).toMatchObject({ ok: false, from, to: '2.0.0', rolledBack: true });
      expect(result.error?.code).toBe('JOVIAN_E_RELOAD_FAILED');
      expect(result.crashDump).toBeDefined();
      expect(await readdir(join(fixture.dataDir, 'logs', 'crashes'))).toContain(
        result.crashDump!.split(/[/\\]/).pop(),
      );
      expect(await answer()).toBe(before);
      expect(host.record(id)).toMatchObject({ state: 'ready', manifest: { version: from } });
      if (hasCommands)
        expect(await host.invokeCommand(command(id, 'version'), { args: [], options: {} })).toBe(
          `version ${from}`,
        );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        topic: 'plugin.reload_failed',
        payload: { id, from, to: '2.0.0', rolledBack: true, error: { code: 'JOVIAN_E_RELOAD_FAILED' } },
      });
    },
  );

  it('should pick up a fixed version after a failed one', async () => {
    await write({ version: '2.0.1', answer: 'fixed', withCommand: true });
    expect(await host.reload(id)).toMatchObject({ ok: true, to: '2.0.1' });
    expect(await answer()).toBe('fixed');
    expect(host.record(id)).toMatchObject({ state: 'ready', manifest: { version: '2.0.1' } });
  });

  it('should reload by itself when a file is saved while the host watches', async () => {
    const watch = await host.watch({ debounceMs: 50 });
    try {
      await watch.ready;
      const reloaded = new Promise<Record<string, unknown>>((resolve) => {
        const subscription = host.events.subscribe('plugin.reloaded', (event) => {
          subscription.dispose();
          resolve(event.payload as Record<string, unknown>);
        });
      });
      await write({ version: '2.0.1', answer: 'watched', withCommand: true }, flavour.answerFile);
      expect(await reloaded).toMatchObject({ id, to: '2.0.1' });
      expect(await answer()).toBe('watched');
    } finally {
      await watch.close();
    }
  });
});

describe('hot reload of a worker plugin whose new version fails to start', () => {
  const version = (greeting: string, broken: boolean) => ({
    manifest: {
      runtime: 'worker',
      config_schema: {
        version: 1,
        schema: { type: 'object', properties: { greeting: { type: 'string', default: greeting } } },
      },
    },
    code: `export default {
      activate() { ${broken ? "throw new Error('not today');" : ''} },
      run(input, ctx) { return ctx.config.get('greeting'); },
    };`,
  });

  it('should leave the previous version reading its config through its own schema', async () => {
    const fixture = await createFixture();
    const host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
      isolation: AS_DECLARED,
      developerMode: true,
    });
    try {
      await fixture.add('greeter', version('hello', false));
      await host.start();
      expect(await host.run('greeter', {})).toBe('hello');
      await fixture.add('greeter', version('bonjour', true));
      expect(await host.reload('greeter')).toMatchObject({ ok: false, rolledBack: true });
      expect(await host.run('greeter', {})).toBe('hello');
    } finally {
      await host.stop();
      await fixture.cleanup();
    }
  });
});
