import { join } from 'node:path';
import { dataDirLayout } from '../config/index.js';
import type { InstanceExit } from '../runtimes/index.js';
import { writeFileAtomic } from '../util/index.js';
import type { PluginRecord } from './plugin-record.js';
import { JOVIAN_VERSION } from './version.js';

/**
 * Writes what is known of a plugin's crash — why it ended, its last output, the error's stack, versions —
 * to `<data-dir>/logs/crashes/<id>-<time>.txt`, and returns the file's path.
 */
export async function writeCrashDump(
  dataDir: string,
  record: PluginRecord,
  exit: InstanceExit,
): Promise<string> {
  const at = new Date();
  const file = join(
    dataDirLayout(dataDir).logsDir,
    'crashes',
    `${record.id}-${at.toISOString().replace(/[:.]/g, '-')}.txt`,
  );
  const lines = [
    `plugin:   ${record.id} ${record.manifest?.version ?? ''}`,
    `runtime:  ${record.manifest?.runtime ?? 'unknown'}`,
    `time:     ${at.toISOString()}`,
    `ended:    ${exit.reason} (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'})`,
    `jovian:   ${JOVIAN_VERSION}, node ${process.version}`,
    '',
    '--- last output ---',
    ...(exit.output.length > 0 ? exit.output : ['(none)']),
    '',
    '--- error ---',
    exit.error?.stack ?? exit.error?.message ?? '(none)',
    '',
  ];
  await writeFileAtomic(file, lines.join('\n'));
  return file;
}
