import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { PluginRecord } from '../host/index.js';
import type { ApiI18nMessages, ApiUiProblem } from './api-types.js';
import { containedFile } from './contained-file.js';
import { webFolderOf } from './plugin-web.js';

/** A language, optionally with its region: `en`, `fr`, `pt-BR`. */
export const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;
/** Larger language files are skipped (and named in `problems`): messages, not data. */
export const MAX_MESSAGES_FILE_BYTES = 256 * 1024;
const FALLBACK_LOCALE = 'en';

/** The language file a plugin has for a locale: its path as written (for problems) and on disk. */
interface MessagesFile {
  readonly shown: string;
  readonly file: string;
}

/**
 * `GET /api/i18n/:locale`: every plugin's messages in `locale`, flattened under `plugin.<id>.`. A plugin
 * gives the file its manifest's `i18n` list names `<locale>.json`, or else `web/lang/<locale>.json`;
 * without one, its `<language>.json` (`fr` for `fr-CA`), then its `en.json`. A file that is too large,
 * not JSON, or not an object of strings is skipped whole and named in `problems`. No plugin code runs.
 * `locale` must match LOCALE (the caller checks it).
 */
export async function pluginMessages(
  records: readonly PluginRecord[],
  locale: string,
): Promise<ApiI18nMessages> {
  const messages: Record<string, string> = {};
  const problems: ApiUiProblem[] = [];
  const names = [...new Set([locale, locale.split('-')[0]!, FALLBACK_LOCALE])].map((l) => `${l}.json`);
  for (const record of records) {
    const web = webFolderOf(record);
    if (web === undefined || record.manifest === undefined) continue;
    const found = await messagesFile(record, web, names, problems);
    if (found === undefined) continue;
    const problem = (why: string): void => {
      problems.push({
        plugin: record.id,
        contribution: found.shown,
        message: `the messages of plugin \`${record.id}\` in ${found.file} are skipped: ${why}`,
      });
    };
    let text: string;
    try {
      const size = (await stat(found.file)).size;
      if (size > MAX_MESSAGES_FILE_BYTES) {
        problem(`the file holds ${size} bytes, more than ${MAX_MESSAGES_FILE_BYTES} — split it or trim it`);
        continue;
      }
      text = await readFile(found.file, 'utf8');
    } catch (error) {
      problem(`it cannot be read (${(error as Error).message})`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      problem(`it is not valid JSON (${(error as Error).message}) — fix the file`);
      continue;
    }
    const flat: Record<string, string> = {};
    const invalid = flatten(parsed, [], flat);
    if (invalid !== undefined) {
      problem(`${invalid} — a language file is an object whose values are strings or objects of strings`);
      continue;
    }
    for (const [key, text] of Object.entries(flat)) messages[`plugin.${record.id}.${key}`] = text;
  }
  return { locale, messages, problems };
}

/**
 * The first of `names` the plugin has: among the files its manifest's `i18n` lists when it lists any
 * (a listed file that is missing, or outside the plugin folder, is a problem), else in `web/lang/`.
 */
async function messagesFile(
  record: PluginRecord,
  web: string,
  names: readonly string[],
  problems: ApiUiProblem[],
): Promise<MessagesFile | undefined> {
  const declared = record.manifest?.i18n ?? [];
  for (const name of names) {
    if (declared.length === 0) {
      const file = await containedFile(web, `lang/${name}`);
      if (file !== undefined) return { shown: `web/lang/${name}`, file };
      continue;
    }
    const listed = declared.find((path) => posix.basename(path.replaceAll('\\', '/')) === name);
    if (listed === undefined) continue;
    const file = await containedFile(record.dir, posix.normalize(listed.replaceAll('\\', '/')));
    if (file !== undefined) return { shown: listed, file };
    problems.push({
      plugin: record.id,
      contribution: listed,
      message:
        `plugin \`${record.id}\` lists \`${listed}\` under i18n in ${record.file}, but ` +
        `${join(record.dir, listed)} is missing or leaves the plugin folder — create it or fix the list`,
    });
  }
  return undefined;
}

/** Copies the string leaves of `value` into `into` under dotted keys; returns what is wrong, if anything. */
function flatten(value: unknown, path: readonly string[], into: Record<string, string>): string | undefined {
  const where = path.length === 0 ? 'the file' : `\`${path.join('.')}\``;
  if (typeof value === 'string' && path.length > 0) {
    into[path.join('.')] = value;
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return `${where} is ${what}`;
  }
  for (const [key, inner] of Object.entries(value)) {
    const invalid = flatten(inner, [...path, key], into);
    if (invalid !== undefined) return invalid;
  }
  return undefined;
}
