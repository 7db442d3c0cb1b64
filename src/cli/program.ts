import { Command, CommanderError, Option } from 'commander';
import { JovianError } from '../errors.js';
import { JOVIAN_VERSION } from '../host/index.js';
import { BUILT_IN_COMMANDS, CliContext, type GlobalOptions, type Io } from './cli-context.js';
import type { AuditListOptions } from './commands/audit.js';
import type { ChatOptions } from './commands/chat.js';
import type { InventoryOptions } from './commands/inventory.js';
import type { JobsListOptions, JobsRunOptions } from './commands/jobs.js';
import type { ScaffoldCliOptions } from './commands/plugins-scaffold.js';
import { EXIT, type ExitCode } from './exit-codes.js';

const GLOBAL_VALUE_OPTIONS = new Set(['--plugins-dir', '--data-dir', '--project', '--allow-inprocess']);

/**
 * Runs the `jovian` command line and returns its exit code (docs/cli.md). Never calls process.exit:
 * the caller sets the exit code after output is flushed.
 */
export async function runCli(argv: readonly string[], io: Io): Promise<ExitCode> {
  let exit: ExitCode = EXIT.OK;
  let ctx: CliContext | undefined;
  const context = (command: Command): CliContext => {
    ctx ??= new CliContext(globalOptions(command), io);
    return ctx;
  };
  const act =
    <A extends unknown[]>(fn: (ctx: CliContext, ...args: A) => Promise<ExitCode>) =>
    async (...args: A) => {
      const command = args[args.length - 1] as Command;
      // With globals: `plugins lock verify --json` gives `--json` to `plugins lock`, its parent.
      const json = Boolean((command.optsWithGlobals() as { json?: boolean }).json);
      try {
        exit = await fn(context(command), ...args);
      } catch (error) {
        exit = context(command).fail(error, json);
      }
    };

  const program = buildProgram(io, act);
  const first = firstCommand(argv);
  try {
    if (first !== undefined && !(BUILT_IN_COMMANDS as readonly string[]).includes(first)) {
      await addPluginCommands(program, argv, io, act);
    } else if (argv.includes('--help') || argv.includes('-h') || argv.length === 0) {
      await addPluginCommands(program, argv, io, act).catch(() => undefined);
    }
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.OK;
      return EXIT.USAGE;
    }
    exit = (ctx ?? new CliContext({}, io)).fail(error);
  } finally {
    await ctx?.close().catch(() => undefined);
  }
  return exit;
}

interface InstallCliFlags {
  yes?: boolean;
  dryRun?: boolean;
  allowDowngrade?: boolean;
  installDeps?: boolean;
  catalog?: string;
  trustStore?: string;
  json?: boolean;
}

type Act = <A extends unknown[]>(
  fn: (ctx: CliContext, ...args: A) => Promise<ExitCode>,
) => (...args: A) => Promise<void>;

// Each command's module is loaded when the command runs, so that `jovian plugins list` never loads
// what `jovian chat` or `jovian run` need (and the bundler puts each in its own chunk).
const commands = {
  audit: () => import('./commands/audit.js'),
  chat: () => import('./commands/chat.js'),
  config: () => import('./commands/config.js'),
  demo: () => import('./commands/demo.js'),
  pluginCommand: () => import('./commands/plugin-command.js'),
  doctor: () => import('./commands/plugins-doctor.js'),
  docs: () => import('./commands/plugins-docs.js'),
  graph: () => import('./commands/plugins-graph.js'),
  info: () => import('./commands/plugins-info.js'),
  inventory: () => import('./commands/inventory.js'),
  jobs: () => import('./commands/jobs.js'),
  list: () => import('./commands/plugins-list.js'),
  lock: () => import('./commands/plugins-lock.js'),
  logs: () => import('./commands/logs.js'),
  pkg: () => import('./commands/plugins-package.js'),
  install: () => import('./commands/plugins-install.js'),
  reload: () => import('./commands/plugins-reload.js'),
  report: () => import('./commands/plugins-report.js'),
  scaffold: () => import('./commands/plugins-scaffold.js'),
  toggle: () => import('./commands/plugins-toggle.js'),
  run: () => import('./commands/run.js'),
  serve: () => import('./commands/serve.js'),
};

function buildProgram(io: Io, act: Act): Command {
  const program = new Command('jovian')
    .description('Jovian: a plugin host — discover, check, run and manage plugins.')
    .version(JOVIAN_VERSION)
    .addOption(
      new Option(
        '--plugins-dir <dir>',
        'a folder of plugins (repeatable; default <data-dir>/plugins or $JOVIAN_PLUGINS_DIR)',
      )
        .argParser(collect)
        .default([]),
    )
    .option(
      '--data-dir <dir>',
      'where config, plugin data and logs live (default $JOVIAN_DATA_DIR or ~/.jovian)',
    )
    .option(
      '--project <file>',
      'a project file <name>.jovian.yaml (per-project enabled flags and config overrides)',
    )
    .addOption(
      new Option(
        '--allow-inprocess <ids>',
        'let these plugins (comma-separated) run where their manifest says, below the isolation floor of their trust level',
      )
        .argParser(collectList)
        .default([]),
    )
    .option('--dev', 'developer mode: plugins can be reloaded (`plugins reload`, `chat --watch`)')
    .option(
      '--update-lock',
      'when jovian.lock exists, rewrite the entries of plugins that differ from it instead of refusing them',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`${text.trimEnd()} [JOVIAN_E_CLI_USAGE]\n`),
    });

  const plugins = program
    .command('plugins')
    .description('list, inspect, check, switch, document and report on plugins');
  plugins
    .command('list')
    .description('every plugin with type, version, runtime, state and reason')
    .option('--json', 'machine-readable output')
    .option('--all', 'include core plugins')
    .action(
      act(async (ctx, options: { json?: boolean; all?: boolean }) =>
        (await commands.list()).pluginsList(ctx, options),
      ),
    );
  plugins
    .command('info')
    .description('everything about one plugin')
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: { json?: boolean }) =>
        (await commands.info()).pluginsInfo(ctx, id, options),
      ),
    );
  plugins
    .command('enable')
    .description('enable a plugin (global, or in a project file)')
    .argument('<id>')
    .option('--project <file>', 'write the flag to this project file instead of jovian.yaml')
    .option('--json', 'machine-readable output')
    .action(
      act((ctx, id: string, options: { project?: string; json?: boolean }) =>
        commands.toggle().then((m) => m.pluginsToggle(ctx, id, true, options)),
      ),
    );
  plugins
    .command('disable')
    .description('disable a plugin (its dependents are blocked)')
    .argument('<id>')
    .option('--project <file>', 'write the flag to this project file instead of jovian.yaml')
    .option('--json', 'machine-readable output')
    .action(
      act((ctx, id: string, options: { project?: string; json?: boolean }) =>
        commands.toggle().then((m) => m.pluginsToggle(ctx, id, false, options)),
      ),
    );
  plugins
    .command('reload')
    .description(
      'reload a plugin from disk (developer mode): in the running `jovian serve` when there is one, else here',
    )
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: { json?: boolean }) =>
        (await commands.reload()).pluginsReload(ctx, id, options),
      ),
    );
  plugins
    .command('doctor')
    .description('check manifests, configs and dependencies; exit 1 on any error')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: { json?: boolean }) => (await commands.doctor()).pluginsDoctor(ctx, options)),
    );
  plugins
    .command('graph')
    .description('the dependency graph')
    .option('--mermaid', 'Mermaid flowchart')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: { mermaid?: boolean; json?: boolean }) =>
        (await commands.graph()).pluginsGraph(ctx, options),
      ),
    );
  plugins
    .command('docs')
    .description('write docs/auto_docs/plugins.md and plugins/registry.json from the plugins’ manifests')
    .option('--out <dir>', 'the folder to write them under (default: the current folder)')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: { out?: string; json?: boolean }) =>
        (await commands.docs()).pluginsDocs(ctx, options),
      ),
    );
  plugins
    .command('report')
    .description('write reports/plugin_report_YYYYMMDD.md: counts, states, versions, errors and health')
    .option('--out <dir>', 'the folder to write it under (default: the current folder)')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: { out?: string; json?: boolean }) =>
        (await commands.report()).pluginsReport(ctx, options),
      ),
    );
  plugins
    .command('pack')
    .description('write MANIFEST.json and <id>-<version>.tgz from a plugin folder')
    .argument('<dir>')
    .option('--out <dir>', 'where to write the .tgz (default: the current folder)')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, dir: string, options: { out?: string; json?: boolean }) =>
        (await commands.pkg()).pluginsPack(ctx, dir, options),
      ),
    );
  plugins
    .command('sign')
    .description(
      'sign MANIFEST.json of a plugin folder or .tgz with an OpenSSH Ed25519 key (writes plugin.sig)',
    )
    .argument('<pkg-or-dir>')
    .requiredOption('--key <file>', 'OpenSSH Ed25519 private key (unencrypted)')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, target: string, options: { key: string; json?: boolean }) =>
        (await commands.pkg()).pluginsSign(ctx, target, options),
      ),
    );
  plugins
    .command('verify')
    .description('check the signature and files of a plugin folder or package; prints signer and trust')
    .argument('<pkg-or-dir>')
    .option('--trust-store <file>', 'allowed_signers file (default <data-dir>/allowed_signers)')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, target: string, options: { trustStore?: string; json?: boolean }) =>
        (await commands.pkg()).pluginsVerify(ctx, target, options),
      ),
    );
  const lock = plugins
    .command('lock')
    .description('write jovian.lock from the plugins found (version, content hash, permissions, enabled)')
    .option(
      '--update <ids...>',
      'refresh only these plugins’ entries (a plugin that is gone loses its entry)',
    )
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: { update?: string[]; json?: boolean }) =>
        (await commands.lock()).pluginsLock(ctx, options),
      ),
    );
  lock
    .command('verify')
    .description('compare the plugins found with jovian.lock; exit 1 naming each difference')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, _options: { json?: boolean }, command: Command) =>
        (await commands.lock()).pluginsLockVerify(ctx, {
          json: Boolean((command.optsWithGlobals() as { json?: boolean }).json),
        }),
      ),
    );

  plugins
    .command('scaffold')
    .description('write a new plugin that loads as is and passes its own tests')
    .argument('<id>')
    .option('--type <type>', 'system or tool', 'tool')
    .option('--runtime <runtime>', 'inprocess, worker, process or lua', 'inprocess')
    .option('--with-ui', 'a panel and its messages (the default, except for lua)')
    .option('--no-ui', 'no panel')
    .option('--with-cli', 'a CLI command (the default, except for lua)')
    .option('--no-cli', 'no CLI command')
    .option('--dir <path>', 'the plugin folder (default <first plugins dir>/<id>, else ./plugins/<id>)')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: ScaffoldCliOptions) =>
        (await commands.scaffold()).pluginsScaffold(ctx, id, options),
      ),
    );

  const withInstallFlags = (command: ReturnType<typeof plugins.command>) =>
    command
      .option('--yes', 'accept what it asks for (unsigned package, permissions) without asking')
      .option('--dry-run', 'check and show what would change; change nothing')
      .option('--allow-downgrade', 'allow installing a version older than the installed one')
      .option('--install-deps', 'install missing required plugins from the catalog first')
      .option(
        '--catalog <file-or-url>',
        'plugin catalog (default: jovian.yaml packages.catalog, JOVIAN_CATALOG)',
      )
      .option('--trust-store <file>', 'allowed_signers file (default <data-dir>/allowed_signers)')
      .option('--json', 'machine-readable output');
  withInstallFlags(
    plugins
      .command('install')
      .description('install a plugin from a folder, a .tgz/.zip package, an https URL or a catalog name')
      .argument('<source>'),
  ).action(
    act(async (ctx, source: string, options: InstallCliFlags) =>
      (await commands.install()).pluginsInstall(ctx, source, options),
    ),
  );
  withInstallFlags(
    plugins
      .command('update')
      .description('update an installed plugin to the newest version of the catalog')
      .argument('<id>'),
  ).action(
    act(async (ctx, id: string, options: InstallCliFlags) =>
      (await commands.install()).pluginsUpdate(ctx, id, options),
    ),
  );
  plugins
    .command('check-updates')
    .description('list installed plugins with a newer version in the catalog')
    .option(
      '--catalog <file-or-url>',
      'plugin catalog (default: jovian.yaml packages.catalog, JOVIAN_CATALOG)',
    )
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: InstallCliFlags) =>
        (await commands.install()).pluginsCheckUpdates(ctx, options),
      ),
    );
  plugins
    .command('uninstall')
    .description('remove an installed plugin (its settings stay unless --purge)')
    .argument('<id>')
    .option('--cascade', 'disable the enabled plugins that require it')
    .option('--purge', 'also delete its settings and data')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: { cascade?: boolean; purge?: boolean; json?: boolean }) =>
        (await commands.install()).pluginsUninstall(ctx, id, options),
      ),
    );
  plugins
    .command('rollback')
    .description('go back to the previous kept version of an installed plugin')
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: { json?: boolean }) =>
        (await commands.install()).pluginsRollback(ctx, id, options),
      ),
    );

  program
    .command('inventory')
    .description(
      'every extension under a folder (plugin.yaml, Lua files, legacy modules) with its problems; writes extension_inventory.md or plugins.json',
    )
    .argument('[path]', 'the folder to scan (default: the current folder)')
    .addOption(new Option('--format <format>', 'md or json (default md)').choices(['md', 'json']))
    .option('--out <dir>', 'the folder to write into (default: the scanned folder); - prints the document')
    .action(
      act(async (ctx, path: string | undefined, options: InventoryOptions) =>
        (await commands.inventory()).inventory(ctx, path, options),
      ),
    );

  program
    .command('run')
    .description("call a plugin's run() with JSON input; prints JSON")
    .argument('<id>')
    .option('--input <json>', 'input, validated against the plugin’s inputs schema', '{}')
    .action(
      act(async (ctx, id: string, options: { input?: string }) =>
        (await commands.run()).runPlugin(ctx, id, options),
      ),
    );

  program
    .command('logs')
    .description("a plugin's log lines from its files (no running host needed); --follow for new ones")
    .argument('<id>')
    .option('-f, --follow', 'then print new lines as they are written, across rotations, until Ctrl-C')
    .option('--level <level>', 'only lines of this level and above: debug, info, warn, error')
    .option('--grep <text>', 'only lines containing this text (case-insensitive)')
    .option('--tail <n>', 'how many past lines to print (default 100)')
    .option('--set-level <level>', 'set its level in the running host: debug, info, warn, error, or global')
    .option(
      '--debug-for <duration>',
      'log at debug level for a while in the running host: 30s, 10m, 1h; off ends it',
    )
    .option('--json', 'one JSON object per line')
    .action(
      act(async (ctx, id: string, options: import('./commands/logs.js').LogsOptions) =>
        (await commands.logs()).showLogs(ctx, id, options),
      ),
    );

  const config = program.command('config').description("read and write a plugin's config");
  config
    .command('get')
    .argument('<id>')
    .argument('[key]')
    .option('--json', 'machine-readable output')
    .description('the effective config (defaults < config.yaml < project)')
    .action(
      act(async (ctx, id: string, key: string | undefined, options: { json?: boolean }) =>
        (await commands.config()).configGet(ctx, id, key, options),
      ),
    );
  config
    .command('set')
    .argument('<id>')
    .argument('<key>')
    .argument('<value>', 'a YAML value: 3, true, "text", [a, b]')
    .option('--json', 'machine-readable output')
    .description('validate and write one key')
    .action(
      act(async (ctx, id: string, key: string, value: string, options: { json?: boolean }) =>
        (await commands.config()).configSet(ctx, id, key, value, options),
      ),
    );

  const audit = program
    .command('audit')
    .description('the audit log: permission decisions and privileged actions, hash-chained');
  audit
    .command('list')
    .description('the latest records (default 50), oldest first')
    .option('--plugin <id>', 'only this plugin')
    .option('--action <action>', 'only this action (plugin.enable, config.set, fs.readFile…)')
    .option('--decision <decision>', '`allow` or `deny`')
    .option('--limit <n>', 'how many of the latest records', '50')
    .option('--json', 'machine-readable output')
    .action(act(async (ctx, options: AuditListOptions) => (await commands.audit()).auditList(ctx, options)));
  audit
    .command('export')
    .description('every record as NDJSON, with its hashes')
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .action(
      act(async (ctx, options: { out?: string }) => (await commands.audit()).auditExport(ctx, options)),
    );
  audit
    .command('verify')
    .description('check the hash chain; exit 1 naming the first record edited, deleted or moved')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, options: { json?: boolean }) => (await commands.audit()).auditVerify(ctx, options)),
    );

  program
    .command('chat')
    .description('send a message through the chat hooks and show what each plugin did')
    .argument('[message]')
    .option('--json', 'machine-readable output')
    .option('--watch', 'a session: messages from stdin, plugins reloaded as you save them (needs --dev)')
    .action(
      act(async (ctx, message: string | undefined, options: ChatOptions) =>
        (await commands.chat()).chat(ctx, message, options),
      ),
    );
  program
    .command('serve')
    .description('start the host and serve its API (loopback only by default); prints the login URL')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', '4300')
    .option('--watch', 'reload a plugin each time one of its files is saved (needs --dev)')
    .action(
      act(async (ctx, options: { host?: string; port?: string; watch?: boolean }) =>
        (await commands.serve()).serve(ctx, options),
      ),
    );
  const jobs = program
    .command('jobs')
    .description(
      "plugins' jobs: list, show, run, watch, cancel, export (through a running `jovian serve`, else here)",
    );
  jobs
    .command('list')
    .description('jobs, newest first')
    .option('--plugin <id>', 'only the jobs of this plugin')
    .option('--state <state>', 'pending, running, completed, failed, cancelled or timed_out')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'machine-readable output')
    .action(act(async (ctx, options: JobsListOptions) => (await commands.jobs()).jobsList(ctx, options)));
  jobs
    .command('show')
    .description('one job: state, progress, params, result or error')
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: { json?: boolean }) =>
        (await commands.jobs()).jobsShow(ctx, id, options),
      ),
    );
  jobs
    .command('run')
    .description('submit a job of a handler the plugin declares')
    .argument('<plugin>')
    .argument('<name>')
    .option('--params <json>', "the job's params (JSON), checked against the handler's params schema")
    .option('--watch', 'show its progress until it ends')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, plugin: string, name: string, options: JobsRunOptions) =>
        (await commands.jobs()).jobsRun(ctx, plugin, name, options),
      ),
    );
  jobs
    .command('watch')
    .description('a progress bar with message and ETA until the job ends; exit 1 unless it completed')
    .argument('<id>')
    .action(act(async (ctx, id: string) => (await commands.jobs()).jobsWatch(ctx, id)));
  jobs
    .command('cancel')
    .description('ask a job to stop (a pending one is cancelled at once)')
    .argument('<id>')
    .option('--json', 'machine-readable output')
    .action(
      act(async (ctx, id: string, options: { json?: boolean }) =>
        (await commands.jobs()).jobsCancel(ctx, id, options),
      ),
    );
  jobs
    .command('export')
    .description('every stored job as NDJSON, oldest first')
    .option('--plugin <id>', 'only the jobs of this plugin')
    .option('--state <state>', 'only jobs in this state')
    .option('--output <file>', 'write to this file instead of stdout')
    .action(
      act(async (ctx, options: { plugin?: string; state?: string; output?: string }) =>
        (await commands.jobs()).jobsExport(ctx, options),
      ),
    );

  program
    .command('demo')
    .description('a tour of the host over the configured plugins')
    .action(act(async (ctx) => (await commands.demo()).demo(ctx)));
  return program;
}

/** Adds the commands plugins contribute (read from manifests; no plugin code runs for --help). */
async function addPluginCommands(program: Command, argv: readonly string[], io: Io, act: Act): Promise<void> {
  const probe = new CliContext(parseGlobalOptions(argv), io);
  const host = probe.host();
  await host.load();
  for (const contribution of host.commands()) {
    program
      .command(contribution.key)
      .description(`${contribution.description || 'plugin command'} (plugin ${contribution.pluginId})`)
      .allowUnknownOption()
      .allowExcessArguments()
      .helpOption(false)
      .argument('[args...]')
      .action(
        act(async (ctx, args: string[]) =>
          (await commands.pluginCommand()).pluginCommand(ctx, contribution.key, args),
        ),
      );
  }
  if (!program.commands.some((c) => c.name() === firstCommand(argv)) && firstCommand(argv) !== undefined) {
    throw new JovianError('JOVIAN_E_COMMAND_UNKNOWN', `unknown command \`${firstCommand(argv)}\``, {
      hint: 'run `jovian --help` to see the built-in commands and those plugins contribute',
    });
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function globalOptions(command: Command): GlobalOptions {
  const all = command.optsWithGlobals() as {
    pluginsDir?: string[];
    dataDir?: string;
    project?: string;
    allowInprocess?: string[];
    dev?: boolean;
    updateLock?: boolean;
  };
  return {
    pluginsDir: all.pluginsDir,
    dataDir: all.dataDir,
    project: all.project,
    allowInprocess: all.allowInprocess,
    dev: all.dev,
    updateLock: all.updateLock,
  };
}

function collectList(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
  ];
}

/** The first argument that is not a global option or its value: the command name. */
export function firstCommand(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (GLOBAL_VALUE_OPTIONS.has(token)) {
      i++;
      continue;
    }
    if (token.startsWith('-')) continue;
    return token;
  }
  return undefined;
}

function parseGlobalOptions(argv: readonly string[]): GlobalOptions {
  const pluginsDir: string[] = [];
  let dataDir: string | undefined;
  let project: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!GLOBAL_VALUE_OPTIONS.has(name)) continue;
    const value = inline ?? argv[++i];
    if (value === undefined) break;
    if (name === '--plugins-dir') pluginsDir.push(value);
    else if (name === '--data-dir') dataDir = value;
    else project = value;
  }
  return { pluginsDir, dataDir, project };
}
