/*
 * No imports: the unit tests compile this file with Node's module rules, which the WebUI's extensionless
 * imports do not follow.
 */

type Grant = boolean | readonly string[];
type Sentence =
  | 'permission.none'
  | 'permission.fs_read.all'
  | 'permission.fs_read.some'
  | 'permission.fs_write.all'
  | 'permission.fs_write.some'
  | 'permission.run_commands.all'
  | 'permission.run_commands.some'
  | 'permission.network_outbound.all'
  | 'permission.network_outbound.some';
/** The UI's `t` (i18n.tsx), for the messages used here. */
type Translate = (key: Sentence, values?: Readonly<Record<string, string>>) => string;

/** Each permission with the sentence for `true` and the one for a list, in docs/permissions.md's order. */
const SENTENCES: readonly (readonly [string, Sentence, Sentence])[] = [
  ['fs_read', 'permission.fs_read.all', 'permission.fs_read.some'],
  ['fs_write', 'permission.fs_write.all', 'permission.fs_write.some'],
  ['run_commands', 'permission.run_commands.all', 'permission.run_commands.some'],
  ['network_outbound', 'permission.network_outbound.all', 'permission.network_outbound.some'],
];

/**
 * What a plugin may touch (its `permissions`, docs/permissions.md), as short sentences ("read
 * /data/reports", "connect to any public host"). A plugin granted nothing gets one sentence saying so;
 * one without a manifest (legacy) none, since nothing is known.
 */
export function permissionWords(
  permissions: Readonly<Record<string, Grant | undefined>> | null,
  t: Translate,
): string[] {
  if (permissions === null) return [];
  const words: string[] = [];
  for (const [name, all, some] of SENTENCES) {
    const grant = permissions[name];
    if (grant === true) words.push(t(all));
    else if (Array.isArray(grant) && grant.length > 0) words.push(t(some, { what: grant.join(', ') }));
  }
  return words.length > 0 ? words : [t('permission.none')];
}
