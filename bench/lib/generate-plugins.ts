import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `count` realistic plugins (contributions, permissions, dependencies, a config schema) into a
 * fresh `dir`, for the listing and memory benchmarks. Returns the folder.
 */
export function generatePlugins(dir: string, count: number): string {
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const id = `plugin_${String(i).padStart(4, '0')}`;
    const folder = join(dir, id);
    mkdirSync(folder, { recursive: true });
    const dependency =
      i > 0 && i % 3 === 0
        ? `dependencies:\n  - id: plugin_${String(i - 1).padStart(4, '0')}\n    version: ^1.0.0\n`
        : '';
    writeFileSync(
      join(folder, 'plugin.yaml'),
      `id: ${id}
name: Generated plugin ${i}
description: A generated plugin used to measure listing and memory at scale.
type: ${i % 10 === 0 ? 'system' : 'tool'}
version: 1.${i % 7}.0
author: Bench
license: MIT
engines:
  jovian: ">=0.1.0"
main: dist/index.js
contributes:
  hooks:
    - on_chat
    - name: filter_message
      stage: ${i % 5}
  commands:
    - name: cmd-${i}
      description: Command ${i}
  events:
    subscribe: ["chat.*"]
permissions:
  network_outbound: ["api.example.com:443"]
config_schema:
  version: 1
  schema:
    type: object
    properties:
      verbose:
        type: boolean
        default: false
${dependency}`,
    );
    writeFileSync(join(folder, 'index.js'), 'export default {};\n');
  }
  return dir;
}
