import { diagnostic } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import type { Diagnostic, Manifest } from '../types.js';

/** A warning for each hook a manifest declares that the host does not have (the tap is ignored). */
export function unknownHookWarnings(manifest: Manifest, hooks: HookMap): Diagnostic[] {
  const known = Object.keys(hooks);
  return manifest.contributes.hooks
    .filter((tap) => !Object.hasOwn(hooks, tap.name))
    .map((tap) =>
      diagnostic(
        'JOVIAN_E_HOOK_UNKNOWN',
        `plugin \`${manifest.id}\` declares hook \`${tap.name}\`, which this host does not have`,
        {
          severity: 'warning',
          plugin: manifest.id,
          hint: known.length > 0 ? `hooks of this host: ${known.join(', ')}` : 'this host declares no hooks',
        },
      ),
    );
}
