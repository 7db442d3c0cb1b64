import { delimiter } from 'node:path';
import { errorToData } from '../errors.js';
import {
  type ChatHooks,
  createChatHooks,
  createHost,
  defaultDataDir,
  type PluginHost,
} from '../host/index.js';
import { type ExitCode, exitCodeFor } from './exit-codes.js';
import { renderError } from './output/render-diagnostics.js';

/** Where the CLI writes: injectable so commands can be tested without a terminal. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Options every command accepts (normalised once). */
export interface GlobalOptions {
  readonly pluginsDir?: readonly string[];
  readonly dataDir?: string;
  readonly project?: string;
  /** Plugins the operator lets run below their isolation floor (`--allow-inprocess`). */
  readonly allowInprocess?: readonly string[];
  /** Developer mode (`--dev`): hot reload, strict cloning. Default: jovian.yaml's `developer_mode`. */
  readonly dev?: boolean;
  /** `--update-lock`: rewrite jovian.lock entries of plugins that differ from it instead of refusing them. */
  readonly updateLock?: boolean;
}

/** The built-in command names, which plugin commands may not take. */
export const BUILT_IN_COMMANDS = [
  'plugins',
  'inventory',
  'run',
  'jobs',
  'config',
  'audit',
  'chat',
  'serve',
  'demo',
  'logs',
  'help',
] as const;

/**
 * What every command needs: the host (created on first use, never for `--help`), output, and the
 * conversion of errors into messages and exit codes.
 */
export class CliContext {
  readonly io: Io;
  readonly #options: GlobalOptions;
  #host: PluginHost<ChatHooks> | undefined;

  constructor(options: GlobalOptions, io: Io) {
    this.#options = options;
    this.io = io;
  }

  get options(): GlobalOptions {
    return this.#options;
  }

  host(): PluginHost<ChatHooks> {
    this.#host ??= this.newHost();
    return this.#host;
  }

  /** A host of its own over the same folders and options (the one `host()` gives is shared). */
  newHost(): PluginHost<ChatHooks> {
    const dataDir = this.dataDir;
    const fromEnv = process.env.JOVIAN_PLUGINS_DIR?.split(delimiter).filter(Boolean);
    const dirs =
      this.#options.pluginsDir && this.#options.pluginsDir.length > 0 ? this.#options.pluginsDir : fromEnv;
    return createHost({
      hooks: createChatHooks(),
      dataDir,
      pluginDirs: dirs,
      projectFile: this.#options.project,
      reservedCommands: BUILT_IN_COMMANDS,
      isolation: { allow: this.#options.allowInprocess ?? [] },
      ...(this.#options.dev ? { developerMode: true } : {}),
      ...(this.#options.updateLock ? { updateLock: true } : {}),
    });
  }

  /** The data directory (`--data-dir`, JOVIAN_DATA_DIR or ~/.jovian). */
  get dataDir(): string {
    return this.#options.dataDir ?? defaultDataDir();
  }

  json(value: unknown): void {
    this.io.out(`${JSON.stringify(value, null, 2)}\n`);
  }

  line(text = ''): void {
    this.io.out(`${text}\n`);
  }

  /** Reports an error (as JSON on stdout when `json`, as text on stderr otherwise) and gives its exit code. */
  fail(error: unknown, json = false): ExitCode {
    const data = errorToData(error);
    if (json)
      this.json({ error: data.message, code: data.code, hint: data.hint ?? null, where: data.where ?? null });
    else this.io.err(`${renderError(data)}\n`);
    return exitCodeFor(data.code);
  }

  /** Stops the host if it was started and flushes logs, events and the audit. */
  async close(): Promise<void> {
    await this.#host?.stop();
  }
}
