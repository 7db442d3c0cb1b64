import { changelogTemplate, packageJsonTemplate, readmeTemplate } from './templates/docs-template.js';
import { entryTemplate } from './templates/entry-template.js';
import { langTemplate } from './templates/lang-template.js';
import { luaManifestTemplate, luaTemplate, luaTestTemplate } from './templates/lua-template.js';
import { manifestTemplate } from './templates/manifest-template.js';
import { panelTemplate } from './templates/panel-template.js';
import type { ScaffoldFile, ScaffoldSpec } from './templates/scaffold-spec.js';
import { testTemplate } from './templates/test-template.js';

/** The files of a scaffold, by path relative to the plugin folder. */
export function scaffoldFiles(spec: ScaffoldSpec): ScaffoldFile[] {
  if (spec.runtime === 'lua')
    return [
      { path: 'plugin.yaml', content: luaManifestTemplate(spec) },
      { path: `${spec.id}.lua`, content: luaTemplate(spec) },
      { path: 'package.json', content: packageJsonTemplate(spec) },
      { path: 'test/plugin.test.js', content: luaTestTemplate(spec) },
      { path: 'changelog.md', content: changelogTemplate(spec) },
      { path: 'README.md', content: readmeTemplate(spec) },
    ];
  return [
    { path: 'plugin.yaml', content: manifestTemplate(spec) },
    { path: 'index.js', content: entryTemplate(spec) },
    { path: 'package.json', content: packageJsonTemplate(spec) },
    { path: 'test/plugin.test.js', content: testTemplate(spec) },
    ...(spec.ui
      ? [
          { path: 'web/panels/main.js', content: panelTemplate() },
          { path: 'web/lang/en.json', content: langTemplate(spec, 'en') },
          { path: 'web/lang/fr.json', content: langTemplate(spec, 'fr') },
        ]
      : []),
    { path: 'changelog.md', content: changelogTemplate(spec) },
    { path: 'README.md', content: readmeTemplate(spec) },
  ];
}
