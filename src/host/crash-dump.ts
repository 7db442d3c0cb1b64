import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { dataDirLayout } from '../config/index.js';
import type { LogLine } from '../observability/index.js';
import type { InstanceExit } from '../runtimes/index.js';
import { writeFileAtomic } from '../util/index.js';
import type { PluginRecord } from './plugin-record.js';
import { JOVIAN_VERSION } from './version.js';

/**
 * Writes what is known of a plugin's crash to `<data-dir>/logs/crashes/<id>-<time>.txt` and returns the
 * file's path: why it ended, versions (plugin, Jovian, Node, system), hashes of its manifest and config
 * file (to tell whether either changed since), the process's last output, the plugin's recent log
 * lines, and the error's stack.
 */
export async function writeCrashDump(
  dataDir: string,
  record: PluginRecord,
  exit: InstanceExit,
  recentLog: readonly LogLine[] = [],
): Promise<string> {
  const at = new Date();
  const layout = dataDirLayout(dataDir);
  const file = join(layout.logsDir, 'crashes', `${record.id}-${at.toISOString().replace(/[:.]/g, '-')}.txt`);
  const configFile = layout.pluginConfigFile(record.id);
  const lines = [
    `plugin:   ${record.id} ${record.manifest?.version ?? ''}`,
    `runtime:  ${record.manifest?.runtime ?? 'unknown'}`,
    `time:     ${at.toISOString()}`,
    `ended:    ${exit.reason} (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'})`,
    `jovian:   ${JOVIAN_VERSION}, node ${process.version}, ${platform()} ${arch()}`,
    `manifest: ${await hashOf(record.file)} ${record.file}`,
    `config:   ${await hashOf(configFile)} ${configFile}`,
    '',
    '--- last output ---',
    ...(exit.output.length > 0 ? exit.output : ['(none)']),
    '',
    '--- recent log ---',
    ...(recentLog.length > 0
      ? recentLog.map((l) => `${new Date(l.at).toISOString()} ${l.level} ${l.message}`)
      : ['(none)']),
    '',
    '--- error ---',
    exit.error?.stack ?? exit.error?.message ?? '(none)',
    '',
  ];
  await writeFileAtomic(file, lines.join('\n'));
  return file;
}

/** `sha256:<hex>` of a file's bytes, or `(no file)`. */
async function hashOf(file: string): Promise<string> {
  const bytes = await readFile(file).catch(() => undefined);
  return bytes === undefined ? '(no file)' : `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
