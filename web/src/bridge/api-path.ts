/**
 * Where `bridge.api` sends a path: `/api/...` as is, anything else to one of the plugin's own routes
 * (`stats` and `/stats` → `/api/x/<id>/stats`, the mount point of `contributes.routes`).
 * @throws Error for a full URL (`https://…`, `//host/…`): the bridge only speaks to this server.
 */
export function resolveApiPath(pluginId: string, path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//'))
    throw new Error(
      `bridge.api takes a path on this server, not the URL ${JSON.stringify(path)}: use \`stats\` for the plugin's route /stats, or \`/api/…\``,
    );
  if (path === '/api' || path.startsWith('/api/')) return path;
  return `/api/x/${encodeURIComponent(pluginId)}/${path.replace(/^\/+/, '')}`;
}

/** `POST /api/plugins/<id>/panels/<panel>`: asks the provider the plugin registered for a panel. */
export function panelPath(pluginId: string, panelId: string): string {
  return `/api/plugins/${encodeURIComponent(pluginId)}/panels/${encodeURIComponent(panelId)}`;
}
