/**
 * Plugins in any language, through the real host: the Python example (built on
 * sdk/python/jovian_plugin.py) and the Bash example (the protocol by hand, with jq) behave like any
 * other plugin, and programs that break the protocol are stopped with the reason while the others
 * keep answering. Needs python3 and jq on PATH (.ci/run installs them).
 */
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AsyncSeriesHook, createHost, type PluginHost } from '../../src/index.js';
import { createFixture, type Fixture } from '../helpers/plugin-fixtures.js';
import { ROOT } from './cli-helpers.js';

interface Automation {
  readonly name: string;
  readonly type: string;
  readonly status: string;
}

const hooks = () => ({ on_automation: new AsyncSeriesHook<[Automation]>({ name: 'on_automation' }) });

/** Polls (bounded) until the condition holds: crashes are noticed asynchronously. */
async function eventually(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 250 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const EXAMPLES = [
  {
    id: 'word_counter',
    language: 'Python',
    ready: /^word_counter is ready \(Python 3\.\d+\)$/,
    first: { words: 4, characters: 12, longest: 'not', runs: 1 },
    second: { runs: 2 },
    third: { runs: 3 },
    logged: 'counted 4 words',
    error: {
      code: 'WORD_COUNTER_E_NO_TEXT',
      message: 'there is no text to count',
      hint: 'pass {"text": "some words"}',
    },
  },
  {
    id: 'bash_echo',
    language: 'Bash',
    ready: /^bash_echo is ready \(bash \d/,
    first: { echo: 'to be or not', count: 1 },
    second: { count: 2 },
    third: { count: 3 },
    logged: 'echoed 12 characters',
    error: {
      code: 'BASH_ECHO_E_NO_TEXT',
      message: 'there is no text to echo',
      hint: 'pass {"text": "something"}',
    },
  },
] as const;

describe.each(EXAMPLES)('the $language example ($id)', (example) => {
  let fixture: Fixture;
  let host: PluginHost<ReturnType<typeof hooks>>;
  const messages = () => host.logs.tail(example.id).map((line) => line.message);

  beforeAll(async () => {
    fixture = await createFixture();
    // The example itself, as installed: a link keeps it where it finds the repository's helper.
    await symlink(join(ROOT, 'examples', 'plugins', example.id), join(fixture.pluginsDir, example.id));
    host = createHost({
      hooks: hooks(),
      pluginDirs: [fixture.pluginsDir],
      dataDir: fixture.dataDir,
      manifestCache: false,
    });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should stay unloaded until its hook is called, then activate and take the call', async () => {
    expect(host.record(example.id)).toMatchObject({ state: 'resolved', manifest: { runtime: 'process' } });
    await host.hooks.on_automation.call({ name: 'backup', type: 'cron', status: 'done' });
    expect(host.record(example.id)).toMatchObject({
      state: 'ready',
      outcome: { activatedBy: 'onHook:on_automation' },
    });
    expect(messages()).toEqual(
      expect.arrayContaining([expect.stringMatching(example.ready), 'automation backup is done']),
    );
  });

  it('should answer run and keep its state between calls', async () => {
    expect(await host.run(example.id, { text: 'to be or not' })).toEqual(example.first);
    expect(await host.run(example.id, { text: 'again' })).toMatchObject(example.second);
    expect(messages()).toContain(example.logged);
  });

  it('should bring its own error back with its code and hint', async () => {
    await expect(host.run(example.id, { text: '  ' })).rejects.toMatchObject(example.error);
    expect(host.record(example.id)?.state).toBe('ready');
  });

  it('should stop its process when deactivated and find its state again on the next start', async () => {
    const pid = host.record(example.id)?.active?.instance.pid;
    expect(pid).toBeGreaterThan(0);
    await host.deactivate(example.id);
    expect(host.record(example.id)?.state).toBe('stopped');
    expect(isRunning(pid!)).toBe(false);
    expect(await host.run(example.id, { text: 'once more' })).toMatchObject(example.third);
    expect(host.record(example.id)?.active?.instance.pid).not.toBe(pid);
  });
});

/** A program that says hello (or not), answers every call with null, and does `$MISBEHAVE` on `run`. */
function program(options: { hello?: string; onRun?: string }): string {
  const hello =
    options.hello ??
    '{"id":1,"method":"$/hello","params":[{"magic":"jovian-plugin-protocol","core":1,"app":1,"capabilities":[]}]}';
  return `#!/usr/bin/env bash
printf '%s\\n' '${hello}'
IFS= read -r welcome
while IFS= read -r line; do
  [[ $line =~ ^\\{\\"id\\":([0-9]+),\\"method\\":\\"([^\\"]+)\\" ]] || continue
  id=\${BASH_REMATCH[1]}
  case \${BASH_REMATCH[2]} in
    migrations.list) printf '{"id":%s,"result":[]}\\n' "$id" ;;
    run) ${options.onRun ?? 'printf \'{"id":%s,"result":{"fine":true}}\\n\' "$id"'} ;;
    *) printf '{"id":%s,"result":null}\\n' "$id" ;;
  esac
done
`;
}

describe('programs that break the protocol', () => {
  let fixture: Fixture;
  let host: PluginHost;
  const misbehaving = {
    wrong_magic: program({
      hello:
        '{"id":1,"method":"$/hello","params":[{"magic":"not-jovian","core":1,"app":1,"capabilities":[]}]}',
    }),
    wrong_version: program({
      hello:
        '{"id":1,"method":"$/hello","params":[{"magic":"jovian-plugin-protocol","core":2,"app":1,"capabilities":[]}]}',
    }),
    silent: '#!/usr/bin/env bash\nexec sleep 60\n',
    gone_before_hello: '#!/usr/bin/env bash\necho "cannot find my library" >&2\nexit 3\n',
    garbage: program({ onRun: 'echo "hello from a stray print"' }),
    huge: program({
      onRun: `printf '{"id":%s,"result":"' "$id"; head -c 17000000 /dev/zero | tr '\\0' x; printf '"}\\n'`,
    }),
    exits: program({ onRun: 'exit 3' }),
    steady: program({}),
  };

  beforeAll(async () => {
    fixture = await createFixture();
    for (const [id, script] of Object.entries(misbehaving)) {
      await fixture.add(id, {
        manifest: {
          runtime: 'process',
          main: 'plugin.sh',
          command: ['bash', 'plugin.sh'],
          limits: { timeout_ms: id === 'silent' ? 1_000 : 10_000 },
        },
        files: { 'plugin.sh': script },
      });
    }
    await fixture.add('missing_program', {
      manifest: { runtime: 'process', main: 'index.mjs', command: ['no-such-interpreter-here', 'index.mjs'] },
    });
    host = createHost({ pluginDirs: [fixture.pluginsDir], dataDir: fixture.dataDir, manifestCache: false });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it.each([
    ['wrong_magic', '$/hello has the wrong magic value "not-jovian"'],
    ['wrong_version', 'it speaks core protocol 2, this host speaks 1'],
  ])('should refuse a program that opens with %s', async (id, why) => {
    const error = await host.run(id, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining(why) });
    expect(host.record(id)).toMatchObject({ state: 'error', reason: expect.stringContaining(why) });
    expect(host.record(id)?.outcome.error).toMatchObject({ code: 'JOVIAN_E_PROTOCOL_MISMATCH' });
    expect(await host.run('steady', {})).toEqual({ fine: true });
  });

  it('should give up on a program that never says hello', async () => {
    await expect(host.run('silent', {})).rejects.toMatchObject({ code: 'JOVIAN_E_ACTIVATION_TIMEOUT' });
    expect(host.record('silent')).toMatchObject({
      state: 'error',
      reasonCode: 'JOVIAN_E_ACTIVATION_TIMEOUT',
    });
    expect(await host.run('steady', {})).toEqual({ fine: true });
  });

  it('should report how a program ended before saying hello, with its last words', async () => {
    await expect(host.run('gone_before_hello', {})).rejects.toMatchObject({
      code: 'JOVIAN_E_ACTIVATION_FAILED',
      message: expect.stringMatching(/exited with code 3 before saying hello:\n.*cannot find my library/),
    });
  });

  it('should name a program that is not installed', async () => {
    await expect(host.run('missing_program', {})).rejects.toMatchObject({
      message: expect.stringContaining(
        'the program `no-such-interpreter-here` (command[0] in plugin.yaml) was not found on PATH',
      ),
    });
    expect(host.record('missing_program')).toMatchObject({ reasonCode: 'JOVIAN_E_EXECUTABLE_NOT_FOUND' });
  });

  it.each([
    {
      id: 'garbage',
      caller: 'line 4 is not JSON: "hello from a stray print"',
      reason: 'broke the protocol: line 4 is not JSON: "hello from a stray print"',
      cause: 'JOVIAN_E_PROTOCOL_ERROR',
    },
    {
      id: 'huge',
      caller: 'line 4 is longer than 16777216 bytes',
      reason: 'broke the protocol: line 4 is longer than 16777216 bytes',
      cause: 'JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE',
    },
    { id: 'exits', caller: 'the program closed its stdout', reason: 'exited with code 3', cause: undefined },
  ])(
    'should stop a program that does "$id" in a call, and keep serving the others',
    async ({ id, caller, reason, cause }) => {
      await expect(host.run(id, {})).rejects.toMatchObject({
        code: 'JOVIAN_E_RUNTIME_CLOSED',
        message: expect.stringContaining(caller),
      });
      await eventually(() => host.record(id)?.state === 'error');
      expect(host.record(id)).toMatchObject({
        state: 'error',
        reasonCode: 'JOVIAN_E_PLUGIN_CRASHED',
        reason: `plugin \`${id}\` ${reason}`,
      });
      if (cause) expect(host.record(id)?.outcome.error?.cause).toMatchObject({ code: cause });
      expect(await host.run('steady', {})).toEqual({ fine: true });
    },
  );
});

/** A Python plugin that uses more of the helper: events, commands, its API, config, bytes, threads. */
const PYTHON_HELPER_PROBE = `
import sys, threading
sys.path.insert(0, ${JSON.stringify(join(ROOT, 'sdk', 'python'))})
from jovian_plugin import Plugin, PluginError

plugin = Plugin()
released = threading.Event()

@plugin.on("probe.in")
def echo(event):
    plugin.events.emit("probe.out", {"echo": event["payload"], "topic": event["topic"]})

@plugin.command("py-hello")
def hello(invocation):
    return "hello " + " ".join(invocation["args"])

@plugin.api
def add(a, b):
    return a + b

@plugin.job("count")
def count(params, job):
    for i in range(1, params["to"] + 1):
        if job.wait(0.02):
            raise PluginError("PROBE_E_STOPPED", "stopped at %d (%s)" % (i, job.stop_reason))
        job.update_progress(i * 100 / params["to"], "counted %d" % i, params["to"] - i)
    return {"counted": params["to"], "job": job.id}

@plugin.run
def run(input):
    op = input["op"]
    if op == "config":
        return {"greeting": plugin.config.get("greeting"), "all": plugin.config.get()}
    if op == "bytes":
        blob = plugin.paths["data"] + "/blob.bin"
        plugin.fs.write_file(blob, bytes([0, 255, 7]))
        return {"read": plugin.fs.read_file(blob), "paths": sorted(plugin.paths)}
    if op == "print":
        print("a line from print()")
        return "printed"
    if op == "wait":
        return "released" if released.wait(10) else "never released"
    if op == "release":
        released.set()
        return "done"
    if op == "denied":
        try:
            plugin.fs.read_file("/etc/hostname")
        except PluginError as error:
            return {"code": error.code, "hint": error.hint}
    raise ValueError("unknown op " + op)

if __name__ == "__main__":
    plugin.serve()
`;

describe('the Python helper', () => {
  let fixture: Fixture;
  let host: PluginHost;

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('probe', {
      manifest: {
        runtime: 'process',
        main: 'plugin.py',
        command: ['python3', '-B', 'plugin.py'],
        contributes: {
          events: { emit: ['probe.out'], subscribe: ['probe.in'] },
          commands: [{ name: 'py-hello' }],
          jobs: { handlers: [{ name: 'count' }] },
        },
        config_schema: {
          version: 1,
          schema: { type: 'object', properties: { greeting: { type: 'string', default: 'hi' } } },
        },
      },
      files: { 'plugin.py': PYTHON_HELPER_PROBE },
    });
    await fixture.add('consumer', {
      manifest: { dependencies: [{ id: 'probe' }] },
      code: "export default { async run(_input, ctx) { const probe = await ctx.plugins.get('probe'); return probe.add(2, 3); } };",
    });
    host = createHost({ pluginDirs: [fixture.pluginsDir], dataDir: fixture.dataDir, manifestCache: false });
    await host.start();
  }, 30_000);
  afterAll(async () => {
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should answer a declared command and serve its API to a JavaScript plugin', async () => {
    expect(await host.invokeCommand('py-hello', { args: ['ada', 'lovelace'], options: {} })).toBe(
      'hello ada lovelace',
    );
    expect(await host.run('consumer', {})).toBe(5);
  });

  it('should receive the events it subscribed to and emit its own', async () => {
    const seen: unknown[] = [];
    host.events.subscribe('probe.out', (event) => void seen.push(event.payload));
    host.events.emit('probe.in', { n: 1 });
    await eventually(() => seen.length > 0);
    expect(seen).toEqual([{ echo: { n: 1 }, topic: 'probe.in' }]);
  });

  it('should read its config, and carry bytes both ways', async () => {
    expect(await host.run('probe', { op: 'config' })).toEqual({ greeting: 'hi', all: { greeting: 'hi' } });
    expect(await host.run('probe', { op: 'bytes' })).toEqual({
      read: new Uint8Array([0, 255, 7]),
      paths: ['data', 'plugin', 'project'],
    });
  });

  it('should send print() to the plugin log, never to the protocol', async () => {
    expect(await host.run('probe', { op: 'print' })).toBe('printed');
    await eventually(() => host.logs.tail('probe').some((line) => line.message === 'a line from print()'));
    expect(host.logs.tail('probe')).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'a line from print()' }),
    );
  });

  it('should serve calls concurrently, each in its own thread', async () => {
    const waiting = host.run('probe', { op: 'wait' });
    expect(await host.run('probe', { op: 'release' })).toBe('done');
    expect(await waiting).toBe('released');
  });

  it('should run a job with progress, and stop it when cancelled', async () => {
    const done = await host.jobs.submit('probe', 'count', { to: 3 }, 'test');
    await eventually(() => host.jobs.get(done.id).endedAt !== null);
    expect(host.jobs.get(done.id)).toMatchObject({
      state: 'completed',
      progress: 100,
      message: 'counted 3',
      result: { counted: 3, job: done.id },
    });
    const long = await host.jobs.submit('probe', 'count', { to: 100000 }, 'test');
    await eventually(() => host.jobs.get(long.id).progress > 0);
    host.jobs.cancel(long.id);
    await eventually(() => host.jobs.get(long.id).endedAt !== null);
    expect(host.jobs.get(long.id)).toMatchObject({
      state: 'cancelled',
      error: { code: 'JOVIAN_E_CANCELLED' },
    });
  });

  it('should raise host errors as PluginError with their code and hint', async () => {
    expect(await host.run('probe', { op: 'denied' })).toMatchObject({
      code: 'JOVIAN_E_PERMISSION_DENIED',
      hint: expect.stringContaining('fs_read'),
    });
    await expect(host.run('probe', { op: 'nope' })).rejects.toMatchObject({
      code: 'JOVIAN_E_RUN_FAILED',
      message: expect.stringContaining('unknown op nope'),
    });
  });
});
