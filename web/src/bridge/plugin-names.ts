/**
 * The display names of the plugins the UI has seen (from the list or a plugin's details), so a toast
 * or a card can say "Weather" rather than `weather`. Unknown ids show as themselves.
 */
const names = new Map<string, string>();

export function rememberPluginName(id: string, name: string): void {
  names.set(id, name);
}

export function pluginName(id: string): string {
  return names.get(id) ?? id;
}
