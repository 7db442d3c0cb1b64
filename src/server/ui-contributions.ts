import { join } from 'node:path';
import type { PluginRecord } from '../host/index.js';
import type { ApiPanel, ApiUiContributions, ApiUiProblem, ApiWidget } from './api-types.js';
import { containedFile } from './contained-file.js';
import { assetUrl, webFolderOf } from './plugin-web.js';

/** Panels of a plugin that declares none but has `web/panels/<IMPLICIT_PANEL>.js`. */
const IMPLICIT_PANEL = 'main';

/**
 * `GET /api/ui`: the panels and widgets plugins mount in the WebUI, read from their manifests and the
 * files of their `web/` folders; no plugin code runs. Plugins that are disabled or blocked are left
 * out; a plugin in error is kept (its page still shows its panel, whose calls then fail visibly).
 */
export async function uiContributions(records: readonly PluginRecord[]): Promise<ApiUiContributions> {
  const panels: ApiPanel[] = [];
  const widgets: ApiWidget[] = [];
  const problems: ApiUiProblem[] = [];
  for (const record of records) {
    const web = webFolderOf(record);
    const ui = record.manifest?.contributes.ui;
    if (web === undefined || ui === undefined || record.state === 'disabled' || record.state === 'blocked')
      continue;
    const moduleOf = async (
      kind: 'panel' | 'widget',
      id: string,
      declared: boolean,
    ): Promise<string | undefined> => {
      const path = `${kind}s/${id}.js`;
      if ((await containedFile(web, path)) !== undefined) return assetUrl(record.id, path);
      if (declared) problems.push(missingModule(record, kind, id, path));
      return undefined;
    };
    for (const panel of ui.panels) {
      const module = await moduleOf('panel', panel.id, true);
      if (module !== undefined)
        panels.push({ plugin: record.id, id: panel.id, titleKey: panel.title_key ?? null, module });
    }
    if (ui.panels.length === 0) {
      const module = await moduleOf('panel', IMPLICIT_PANEL, false);
      if (module !== undefined)
        panels.push({ plugin: record.id, id: IMPLICIT_PANEL, titleKey: null, module });
    }
    for (const widget of ui.widgets) {
      const module = await moduleOf('widget', widget.id, true);
      if (module !== undefined)
        widgets.push({ plugin: record.id, id: widget.id, mountPoint: widget.mount_point, module });
    }
  }
  return { panels, widgets, problems };
}

function missingModule(
  record: PluginRecord,
  kind: 'panel' | 'widget',
  id: string,
  path: string,
): ApiUiProblem {
  const file = join(record.dir, 'web', ...path.split('/'));
  return {
    plugin: record.id,
    contribution: id,
    message:
      `${kind} \`${id}\` of plugin \`${record.id}\` has no module: ${file} is missing (or leads out of web/). ` +
      `Create it (an ES module exporting \`mount(element, bridge)\`), or remove the ${kind} from ` +
      `contributes.ui.${kind}s in ${record.file}.`,
  };
}
