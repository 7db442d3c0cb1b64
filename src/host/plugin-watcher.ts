import { isAbsolute, relative, sep } from 'node:path';
import type { PluginRecord } from './plugin-record.js';
import type { ReloadResult } from './plugin-reload.js';

/** What watching needs from the host. */
export interface WatchedHost {
  readonly config: { readonly pluginDirs: readonly string[] };
  records(): PluginRecord[];
  reload(id: string): Promise<ReloadResult>;
}

export interface WatchOptions {
  /** Quiet time after the last change before a plugin is reloaded (ms); default 150. */
  readonly debounceMs?: number;
  /** Called with each reload's outcome (successes and failures alike). */
  readonly onReload?: (result: ReloadResult) => void;
  /** Called when a reload could not even be attempted (refused, plugin unknown). */
  readonly onError?: (error: Error) => void;
}

/** Stops watching. */
export interface PluginWatch {
  close(): Promise<void>;
  /** Resolves once the watcher sees the plugins directories (changes before that are missed). */
  readonly ready: Promise<void>;
}

/**
 * Watches the plugins directories (developer mode) and reloads a plugin when one of its files
 * changes: its plugin.yaml, code, or its `.lua` file. Changes come in bursts (an editor's save, a
 * build writing several files): each plugin is reloaded once, after `debounceMs` of quiet, and never
 * twice at the same time.
 */
export async function watchPlugins(host: WatchedHost, options: WatchOptions = {}): Promise<PluginWatch> {
  const { watch } = await import('chokidar');
  const debounceMs = options.debounceMs ?? 150;
  const timers = new Map<string, NodeJS.Timeout>();
  const watcher = watch([...host.config.pluginDirs], {
    ignoreInitial: true,
    ignored: (path) => /(^|[/\\])(node_modules|\.[^/\\]+)([/\\]|$)/.test(path),
    awaitWriteFinish: false,
  });
  const changed = (path: string) => {
    const record = owner(host.records(), path);
    if (!record) return;
    clearTimeout(timers.get(record.id));
    timers.set(
      record.id,
      setTimeout(() => {
        timers.delete(record.id);
        host.reload(record.id).then(
          (result) => options.onReload?.(result),
          (error: Error) => options.onError?.(error),
        );
      }, debounceMs),
    );
  };
  watcher.on('change', changed).on('add', changed).on('unlink', changed);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await watcher.close();
    },
  };
}

/** The plugin a changed file belongs to: a single-file plugin's file, or a file inside a plugin folder. */
function owner(records: readonly PluginRecord[], path: string): PluginRecord | undefined {
  for (const record of records) {
    if (record.kind !== 'manifest') continue;
    if (record.file.endsWith('.lua') && record.file === path) return record;
    if (record.file.endsWith('.lua')) continue;
    const inside = relative(record.dir, path);
    if (inside !== '' && !inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside))
      return record;
  }
  return undefined;
}
