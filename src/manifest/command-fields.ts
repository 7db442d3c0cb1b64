import { diagnostic } from '../errors.js';
import type { Diagnostic } from '../types.js';
import type { YamlPath } from '../util/index.js';
import type { RawManifest } from './schema.js';

type Report = (d: Omit<Diagnostic, 'where'>, path: YamlPath, atKey?: boolean) => void;

/**
 * `command` (a program speaking the plugin protocol on stdio) only makes sense in its own process:
 * every other runtime loads `main` as a JavaScript module.
 */
export function checkCommandField(raw: RawManifest, report: Report): void {
  const runtime = raw.runtime ?? 'inprocess';
  if (raw.command === undefined || runtime === 'process') return;
  report(
    diagnostic(
      'JOVIAN_E_MANIFEST_INVALID',
      `\`command\` is only used with \`runtime: process\`, and this plugin's runtime is \`${runtime}\``,
      {
        hint: 'set `runtime: process` to run the program, or remove `command` to load `main` as a JavaScript module',
      },
    ),
    ['command'],
    true,
  );
}
