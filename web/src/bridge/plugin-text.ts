/**
 * Plugins' messages as `GET /api/i18n/<locale>` gives them: one flat map, `plugin.<id>.<key>`.
 * Pure functions, shared by the bridge (`bridge.i18n.t`) and the pages (tab titles, help).
 */
export type PluginMessages = Readonly<Record<string, string>>;
export type MessageValues = Readonly<Record<string, string | number>>;

/** The full key of a plugin's message: `title` → `plugin.<id>.title`; a full key is kept as is. */
export function pluginMessageKey(pluginId: string, key: string): string {
  const prefix = `plugin.${pluginId}.`;
  return key.startsWith(prefix) ? key : `${prefix}${key}`;
}

/** `{name}` placeholders replaced by `values.name`; a placeholder without a value stays as written. */
export function fillPlaceholders(template: string, values?: MessageValues): string {
  if (values === undefined) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The plugin's message for `key` with its placeholders filled; the key itself when there is none. */
export function translatePlugin(
  messages: PluginMessages,
  pluginId: string,
  key: string,
  values?: MessageValues,
): string {
  const full = pluginMessageKey(pluginId, key);
  const template = Object.hasOwn(messages, full) ? messages[full] : undefined;
  return template === undefined ? key : fillPlaceholders(template, values);
}

/** The plugin's message for `key`, or null when it has none (for optional text: a help, a title). */
export function pluginMessage(messages: PluginMessages, pluginId: string, key: string): string | null {
  const full = pluginMessageKey(pluginId, key);
  return Object.hasOwn(messages, full) ? (messages[full] ?? null) : null;
}
