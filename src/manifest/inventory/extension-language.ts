import { basename, extname } from 'node:path';
import type { Manifest } from '../../types.js';

/** Languages by file extension of an entry file. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.js': 'JavaScript',
  '.mjs': 'JavaScript',
  '.cjs': 'JavaScript',
  '.ts': 'TypeScript',
  '.mts': 'TypeScript',
  '.py': 'Python',
  '.sh': 'Bash',
  '.bash': 'Bash',
  '.go': 'Go',
  '.rb': 'Ruby',
  '.php': 'PHP',
  '.pl': 'Perl',
  '.lua': 'Lua',
  '.rs': 'Rust',
  '.java': 'Java',
  '.jar': 'Java',
  '.exe': 'native executable',
};

/** Languages by the program a process plugin's `command` starts. */
const BY_PROGRAM: readonly (readonly [RegExp, string])[] = [
  [/^python[0-9.]*$/, 'Python'],
  [/^(node|nodejs)$/, 'JavaScript'],
  [/^(deno|bun|tsx|ts-node)$/, 'TypeScript'],
  [/^(bash|sh|zsh|dash)$/, 'Bash'],
  [/^go$/, 'Go'],
  [/^ruby$/, 'Ruby'],
  [/^php$/, 'PHP'],
  [/^perl$/, 'Perl'],
  [/^java$/, 'Java'],
  [/^(lua|luajit)$/, 'Lua'],
];

/**
 * The language a plugin is written in, as its manifest tells: the program of a process plugin's
 * `command` (`python3` → Python), else its entry file's extension; `any (HTTP)` for a webhook, which
 * runs wherever its URL points. A guess from names only: nothing is run or opened.
 */
export function languageOf(manifest: Manifest): string {
  if (manifest.runtime === 'webhook') return 'any (HTTP)';
  if (manifest.runtime === 'lua') return 'Lua';
  const program = manifest.command?.[0];
  if (program !== undefined) {
    const name = basename(program).replace(/\.exe$/, '');
    const known = BY_PROGRAM.find(([pattern]) => pattern.test(name));
    if (known) return known[1];
  }
  const fromMain = BY_EXTENSION[extname(manifest.main).toLowerCase()];
  if (fromMain) return fromMain;
  return program !== undefined ? `executable (${basename(program)})` : 'JavaScript';
}

/** What runs: the process command, the webhook URL, or the entry file. */
export function entryOf(manifest: Manifest): string | null {
  if (manifest.command && manifest.command.length > 0) return manifest.command.join(' ');
  if (manifest.runtime === 'webhook') return manifest.webhook?.url ?? null;
  return manifest.main || null;
}
