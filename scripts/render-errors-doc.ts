import { ERROR_CATALOGUE } from '../src/errors.js';

/** docs/errors.md, rendered from the error catalogue (one row per code, catalogue order). */
export function renderErrorsDoc(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.entries(ERROR_CATALOGUE).map(
    ([code, spec]) => `| \`${code}\` | ${cell(spec.meaning)} | ${cell(spec.hint)} |`,
  );
  return [
    '# Error codes',
    '',
    'Every error Jovian reports carries one of these stable codes — in messages (`[JOVIAN_E_…]`), in',
    '`--json` output (`"code"`), and across plugin boundaries. Codes are never reused. This file is',
    'generated from `src/errors.ts` by `npm run generate`; a test fails when the two differ.',
    '',
    'Errors about files point at `file:line:column`. Plugins may throw errors with codes of their own;',
    'those pass through unchanged.',
    '',
    '| code | meaning | how to solve |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
