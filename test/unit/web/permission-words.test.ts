/** The plugins page says what each plugin may touch in words, in the UI's language. */
import { describe, expect, it } from 'vitest';
import { en } from '../../../web/src/i18n/messages-en.js';
import { permissionWords } from '../../../web/src/plugins/permission-words.js';

const t = (key: keyof typeof en, values?: Readonly<Record<string, string>>) =>
  en[key].replace(/\{(\w+)\}/g, (whole, name: string) => values?.[name] ?? whole);
const none = { fs_read: false, fs_write: false, run_commands: false, network_outbound: false };

describe('#permissionWords', () => {
  it('should say what each grant allows, lists by their entries', () => {
    const words = permissionWords(
      { ...none, fs_read: ['/data/reports', '~/notes'], run_commands: ['git'], network_outbound: true },
      t,
    );
    expect(words).toEqual(['read /data/reports, ~/notes', 'run git', 'connect to any public host']);
  });

  it('should say a plugin granted nothing keeps to its own folders, and say nothing without a manifest', () => {
    expect(permissionWords(none, t)).toEqual(['only its own folders']);
    expect(permissionWords({ ...none, fs_write: [] }, t)).toEqual(['only its own folders']);
    expect(permissionWords(null, t)).toEqual([]);
  });
});
