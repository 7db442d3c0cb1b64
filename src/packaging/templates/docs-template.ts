import type { ScaffoldSpec } from './scaffold-spec.js';

/** changelog.md: the first version. */
export function changelogTemplate(spec: ScaffoldSpec): string {
  return `# ${spec.id}\n\n## 0.1.0\n- First version, from \`jovian plugins scaffold\`.\n`;
}

/** README.md: what is in the folder and how to try it. */
export function readmeTemplate(spec: ScaffoldSpec): string {
  const files = [
    '- `plugin.yaml`: the manifest;',
    spec.runtime === 'lua'
      ? `- \`${spec.id}.lua\`: the code (Lua 5.4, run in the sandbox; each hook is a global function);`
      : '- `index.js`: the code (ES module JavaScript, typed with JSDoc from `jovian/sdk`);',
    '- `test/plugin.test.js`: tests with `jovian/testing` (`npm test`);',
    '- `package.json`: `"type": "module"` and the `test` script;',
    ...(spec.ui
      ? ['- `web/panels/main.js`, `web/lang/*.json`: its panel in the WebUI and its messages;']
      : []),
    '- `changelog.md`.',
  ];
  const tries =
    spec.runtime === 'lua'
      ? [`- \`jovian chat\`, say something, then \`jovian logs ${spec.id}\`.`]
      : [
          `- \`jovian run ${spec.id} --input '{"name": "Ada"}'\`;`,
          ...(spec.cli ? [`- \`jovian ${spec.command} Ada\`;`] : []),
          `- \`jovian serve\`, then \`GET /api/x/${spec.id}/hello\`${spec.ui ? ` and its page \`/plugins/${spec.id}\`` : ''}.`,
        ];
  return `# ${spec.id}

A ${spec.type} plugin for Jovian, running in the \`${spec.runtime}\` runtime.

${files.join('\n')}

## Try it

From the folder that holds this plugin's folder (\`--plugins-dir\`):

${tries.join('\n')}

## Test it

\`node --test test/\` (Jovian must be installed where Node finds it: \`npm install jovian\`).
`;
}

/**
 * package.json: `"type": "module"` so that Node reads index.js and the tests as ES modules wherever
 * the folder sits, and `npm test`.
 */
export function packageJsonTemplate(spec: ScaffoldSpec): string {
  const pkg = {
    name: spec.id.replaceAll('_', '-'),
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { test: 'node --test test/' },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
