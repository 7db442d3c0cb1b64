import type { ScaffoldSpec } from './scaffold-spec.js';
import { HELLO_ROUTE } from './scaffold-spec.js';

/** plugin.yaml of a JavaScript scaffold: valid against schema/plugin.schema.json. */
export function manifestTemplate(spec: ScaffoldSpec): string {
  const lines = [
    `# yaml-language-server: $schema=${spec.schemaRef}`,
    `id: ${spec.id}`,
    `name: ${spec.id}`,
    `description: A plugin made from the Jovian scaffold; describe what it does here.`,
    `type: ${spec.type}`,
    'version: 0.1.0',
    'license: MIT',
    'engines:',
    `  jovian: "${spec.engines}"`,
    'main: index.js',
    `runtime: ${spec.runtime}`,
    'contributes:',
    '  routes:',
    '    - method: GET',
    `      path: ${HELLO_ROUTE}`,
    '      description: A greeting from the plugin.',
  ];
  if (spec.cli) {
    lines.push('  commands:', `    - name: ${spec.command}`, '      description: Prints a greeting.');
  }
  if (spec.ui) {
    lines.push(
      '  ui:',
      '    panels:',
      '      - id: main',
      `        title_key: plugin.${spec.id}.panels.main`,
    );
  }
  lines.push('  metrics: true');
  if (spec.ui) lines.push('i18n:', '  - web/lang/en.json', '  - web/lang/fr.json');
  lines.push('changelog: changelog.md', '');
  return lines.join('\n');
}
