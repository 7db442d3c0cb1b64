import { mkdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunnerService, scrubbedEnv } from '../../../src/bridge/services/runner-service.js';
import { createSandbox, type Sandbox } from './service-fixture.js';

const node = process.execPath;

describe('runner service', () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await createSandbox();
  });
  afterEach(() => box.remove());

  const runner = (grants: Parameters<Sandbox['scope']>[0], limits = {}) => {
    const scope = box.scope(grants);
    const service = createRunnerService(scope, { limits });
    return { run: service['runner.run'], entries: scope.entries };
  };

  describe('#runner.run', () => {
    it('should run a granted command without a shell and audit it', async () => {
      const { run, entries } = runner({ run_commands: [node] });
      const result = await run(node, ['-e', 'console.log(process.argv[1])', '$(whoami); echo hacked'], {});
      expect(result).toEqual({
        exitCode: 0,
        signal: null,
        stdout: '$(whoami); echo hacked\n',
        stderr: '',
        timedOut: false,
        truncated: false,
      });
      expect(entries).toEqual([
        {
          plugin: 'notes',
          action: 'runner.run',
          target: `${node} -e console.log(process.argv[1]) $(whoami); echo hacked`,
          decision: 'allow',
          permission: 'run_commands',
          reason: `granted by run_commands entry ${node}`,
        },
      ]);
    });

    it('should refuse a command that is not granted, audit it and start nothing', async () => {
      const { run, entries } = runner({ run_commands: ['git'] });
      await expect(run('sh', ['-c', `touch ${join(box.root, 'ran')}`], {})).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: 'plugin `notes` may not run sh: not in run_commands (git)',
        hint: 'add `run_commands: ["sh"]` under permissions in plugin.yaml',
      });
      expect(entries).toMatchObject([{ decision: 'deny', action: 'runner.run' }]);
      await expect(stat(join(box.root, 'ran'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('should report a non-zero exit as a result', async () => {
      const { run } = runner({ run_commands: true });
      const result = await run(node, ['-e', 'process.stderr.write("bad"); process.exit(3)'], {});
      expect(result).toMatchObject({ exitCode: 3, signal: null, stderr: 'bad', timedOut: false });
    });

    it('should pass input on stdin', async () => {
      const { run } = runner({ run_commands: true });
      const result = await run(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'hello' });
      expect(result.stdout).toBe('hello');
    });

    it("should not pass the host's secrets in the environment", async () => {
      process.env.JOVIAN_TEST_SECRET_TOKEN = 'hunter2';
      try {
        const { run } = runner({ run_commands: true });
        const result = await run(node, ['-e', 'console.log(JSON.stringify(process.env))'], {});
        const env = JSON.parse(result.stdout) as Record<string, string>;
        expect(env).not.toHaveProperty('JOVIAN_TEST_SECRET_TOKEN');
        expect(env.PATH).toBe(process.env.PATH);
      } finally {
        delete process.env.JOVIAN_TEST_SECRET_TOKEN;
      }
    });

    it('should stop a command at its deadline with SIGTERM', async () => {
      const { run } = runner({ run_commands: true });
      const result = await run(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 100 });
      expect(result).toMatchObject({ timedOut: true, signal: 'SIGTERM', exitCode: null });
    });

    it('should kill a command that ignores SIGTERM once the grace period is over', async () => {
      const { run } = runner({ run_commands: true }, { killGraceMs: 50 });
      // The shell ignores SIGTERM from its first instruction, and `sleep` inherits that.
      const result = await run('sh', ['-c', 'trap "" TERM; exec sleep 30'], { timeoutMs: 200 });
      expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    });

    it('should cap stdout at 1 MiB and say it was cut', async () => {
      const { run } = runner({ run_commands: true });
      const result = await run(node, ['-e', 'process.stdout.write("x".repeat(2 * 1024 * 1024))'], {});
      expect(result.stdout.length).toBe(1024 * 1024);
      expect(result.truncated).toBe(true);
      expect(result.exitCode).toBe(0);
    });

    it('should run in the data folder by default, creating it', async () => {
      const { run } = runner({ run_commands: true });
      const result = await run(node, ['-e', 'console.log(process.cwd())'], {});
      expect(result.stdout.trim()).toBe(await realpath(box.dataDir));
    });

    it('should run in a readable working folder, relative to the project folder', async () => {
      await mkdir(join(box.projectDir, 'src'));
      const { run, entries } = runner({ run_commands: true, fs_read: true });
      const result = await run(node, ['-e', 'console.log(process.cwd())'], { cwd: 'src' });
      expect(result.stdout.trim()).toBe(join(box.projectDir, 'src'));
      expect(entries.map((e) => [e.action, e.decision])).toEqual([
        ['runner.run', 'allow'],
        ['runner.cwd', 'allow'],
      ]);
    });

    it('should refuse a working folder the plugin may not read', async () => {
      const { run, entries } = runner({ run_commands: true });
      await expect(run(node, ['-e', '0'], { cwd: box.root })).rejects.toMatchObject({
        code: 'JOVIAN_E_PERMISSION_DENIED',
        message: expect.stringContaining(`may not read ${box.root}`),
      });
      expect(entries.at(-1)).toMatchObject({ action: 'runner.cwd', decision: 'deny', permission: 'fs_read' });
    });

    it('should report a missing working folder', async () => {
      const { run } = runner({ run_commands: true, fs_read: true });
      await expect(run(node, ['-e', '0'], { cwd: 'missing' })).rejects.toMatchObject({
        code: 'JOVIAN_E_FS_NOT_FOUND',
      });
    });

    it('should report a command that cannot start, with the cause', async () => {
      const { run } = runner({ run_commands: true });
      const error = await Promise.resolve(run('jovian-no-such-command-here', [], {})).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({
        code: 'JOVIAN_E_RUNNER_FAILED',
        message: expect.stringContaining('could not start `jovian-no-such-command-here`'),
        cause: expect.objectContaining({ code: 'ENOENT' }),
      });
    });
  });

  describe('#scrubbedEnv', () => {
    it('should keep only the harmless variables', () => {
      expect(
        scrubbedEnv({
          PATH: '/bin',
          HOME: '/h',
          LC_ALL: 'C',
          TZ: 'UTC',
          AWS_SECRET_ACCESS_KEY: 'k',
          NODE_OPTIONS: '-r x',
        }),
      ).toEqual({ PATH: '/bin', HOME: '/h', LC_ALL: 'C', TZ: 'UTC' });
    });
  });
});
