/** Generated docs say what a plugin may touch in the same words as the WebUI's English pages. */
import { describe, expect, it } from 'vitest';
import { permissionSentences } from '../../../src/host/index.js';
import type { Permissions } from '../../../src/types.js';
import { en } from '../../../web/src/i18n/messages-en.js';
import { permissionWords } from '../../../web/src/plugins/permission-words.js';

const t = (key: keyof typeof en, values?: Readonly<Record<string, string>>) =>
  en[key].replace(/\{(\w+)\}/g, (whole, name: string) => values?.[name] ?? whole);
const none: Permissions = { fs_read: false, fs_write: false, run_commands: false, network_outbound: false };

describe('#permissionSentences', () => {
  const cases: [string, Permissions | null][] = [
    ['nothing granted', none],
    ['no manifest', null],
    [
      'every permission without limits',
      { fs_read: true, fs_write: true, run_commands: true, network_outbound: true },
    ],
    [
      'lists',
      {
        fs_read: ['/data', '~/notes'],
        fs_write: ['out'],
        run_commands: ['git'],
        network_outbound: ['a.example:443'],
      },
    ],
    ['an empty list', { ...none, fs_write: [] }],
  ];

  it.each(cases)('should say the same as the WebUI in English for %s', (_, permissions) => {
    expect(permissionSentences(permissions)).toEqual(permissionWords(permissions, t));
  });
});
