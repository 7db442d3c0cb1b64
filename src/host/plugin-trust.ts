import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { GlobalConfig, SecurityMode } from '../config/index.js';
import { diagnostic, errorToData, JovianError } from '../errors.js';
import {
  loadTrustStore,
  SIGNATURE_FILE,
  type TrustedSigner,
  type TrustLevel,
  type VerifiedPackage,
  verifyPluginFolder,
} from '../security/index.js';
import type { Diagnostic } from '../types.js';

/** Who signed a plugin whose signature verified when it was loaded. */
export interface PluginSignature {
  /** The principal of the trust-store line of the key. */
  readonly signer: string;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
  /** ISO 8601: when plugin.sig was last written (its modification time). */
  readonly date: string;
}

/** How signatures are treated at load: jovian.yaml's `security` settings and the trust store. */
export interface TrustSettings {
  readonly mode: SecurityMode;
  /** Strict mode only: plugins without a signature load as "dev / unsigned" instead of being refused. */
  readonly allowUnsigned: boolean;
  /** The trust store file, for messages. */
  readonly trustStore: string;
  /**
   * The trust store's keys, read once, when the first signed plugin is met (a host without signed
   * plugins never reads it). @throws JOVIAN_E_TRUST_STORE_INVALID, JOVIAN_E_FILE_READ_FAILED
   */
  signers(): Promise<readonly TrustedSigner[]>;
}

export function trustSettings(
  trustStore: string,
  security: GlobalConfig['security'] | undefined,
): TrustSettings {
  let loading: Promise<TrustedSigner[]> | undefined;
  return {
    mode: security?.mode ?? 'permissive',
    allowUnsigned: security?.allow_unsigned_local_plugins ?? false,
    trustStore,
    signers: () => {
      loading ??= loadTrustStore(trustStore);
      return loading;
    },
  };
}

/** What the host makes of a plugin's signature. */
export interface TrustVerdict {
  readonly trust: TrustLevel;
  /** Set only when plugin.sig verified. */
  readonly signature: PluginSignature | undefined;
  /** Unsigned, and loaded only because strict mode allows unsigned local plugins ("dev / unsigned"). */
  readonly devUnsigned: boolean;
  /**
   * A refusal (severity `error`, code JOVIAN_E_PLUGIN_UNSIGNED or JOVIAN_E_PLUGIN_SIGNATURE_REFUSED),
   * or a warning naming why a signature was not honoured (permissive mode); empty otherwise.
   */
  readonly diagnostics: readonly Diagnostic[];
}

/** The refusals of strict mode: like the isolation policy's, they keep a valid manifest from running. */
export const TRUST_REFUSALS: readonly string[] = [
  'JOVIAN_E_PLUGIN_UNSIGNED',
  'JOVIAN_E_PLUGIN_SIGNATURE_REFUSED',
];

/** A plugin as discovery found it: enough to know whether it can carry a signature, and where. */
export interface PluginToJudge {
  readonly id: string;
  readonly dir: string;
  /** plugin.yaml, the `.lua` file of a single-file plugin, or a legacy module. */
  readonly file: string;
  readonly layout: 'folder' | 'file';
  readonly kind: 'manifest' | 'legacy';
}

const UNSIGNED: TrustVerdict = Object.freeze({
  trust: 'unsigned',
  signature: undefined,
  devUnsigned: false,
  diagnostics: Object.freeze([]) as readonly Diagnostic[],
});

/**
 * Judges a plugin's signature. A plugin folder with a plugin.sig is verified strictly (every file
 * listed in MANIFEST.json with its hash, no other file, a trusted key, its id and version): when it
 * verifies, the plugin gets its signer's trust. Otherwise — no plugin.sig, a single-file Lua plugin or a
 * legacy plugin (neither can carry one), or a failed verification — it is `unsigned` in permissive mode
 * (with a warning when a signature failed), and refused in strict mode, except that plugins without a
 * signature load as "dev / unsigned" when `allow_unsigned_local_plugins` is set.
 */
export async function judgeTrust(plugin: PluginToJudge, settings: TrustSettings): Promise<TrustVerdict> {
  const signable = plugin.layout === 'folder' && plugin.kind === 'manifest';
  const sigFile = join(plugin.dir, SIGNATURE_FILE);
  // Synchronous on purpose, like discovery's stats: one tiny call per plugin at start-up.
  const sigStats = signable ? statSync(sigFile, { throwIfNoEntry: false }) : undefined;
  if (!sigStats) return unsignedVerdict(plugin, settings, signable);
  try {
    const verified = await verifyPluginFolder(plugin.dir, await settings.signers(), { strict: true });
    return {
      trust: verified.trust,
      signature: {
        signer: verified.signer,
        fingerprint: verified.fingerprint,
        date: sigStats.mtime.toISOString(),
      },
      devUnsigned: false,
      diagnostics: [],
    };
  } catch (error) {
    return failedVerdict(plugin, settings, error);
  }
}

function unsignedVerdict(plugin: PluginToJudge, settings: TrustSettings, signable: boolean): TrustVerdict {
  if (settings.mode === 'permissive') return UNSIGNED;
  if (settings.allowUnsigned) return { ...UNSIGNED, devUnsigned: true };
  const what = signable
    ? `${plugin.dir} has no ${SIGNATURE_FILE}`
    : plugin.kind === 'legacy'
      ? `${plugin.file} is a legacy plugin, which cannot carry a signature`
      : `${plugin.file} is a single-file plugin, which cannot carry a signature`;
  return {
    ...UNSIGNED,
    diagnostics: [
      diagnostic(
        'JOVIAN_E_PLUGIN_UNSIGNED',
        `plugin \`${plugin.id}\` is refused (security.mode: strict): ${what}`,
        {
          hint: signable
            ? `sign it (\`jovian plugins pack ${plugin.dir}\`, then \`jovian plugins sign ${plugin.dir} --key <key>\`), or set \`security.allow_unsigned_local_plugins: true\` in jovian.yaml to load it as "dev / unsigned"`
            : `move it into a plugin folder with a plugin.yaml and sign it, or set \`security.allow_unsigned_local_plugins: true\` in jovian.yaml to load it as "dev / unsigned"`,
          plugin: plugin.id,
          where: { file: plugin.file, line: 1, column: 1 },
        },
      ),
    ],
  };
}

function failedVerdict(plugin: PluginToJudge, settings: TrustSettings, error: unknown): TrustVerdict {
  const failure = errorToData(error);
  const fix = failure.hint ? `${failure.hint.replace(/\.$/, '')}; ` : '';
  if (settings.mode === 'strict') {
    return {
      ...UNSIGNED,
      diagnostics: [
        diagnostic(
          'JOVIAN_E_PLUGIN_SIGNATURE_REFUSED',
          `plugin \`${plugin.id}\` is refused (security.mode: strict): ${failure.message} [${failure.code}]`,
          {
            hint: `${fix}check it with \`jovian plugins verify ${plugin.dir}\` (trust store ${settings.trustStore})`,
            plugin: plugin.id,
          },
        ),
      ],
    };
  }
  // The failure's own code (JOVIAN_E_PACKAGE_FILE_CHANGED…) says what failed; the plugin still loads.
  const warning: Diagnostic = {
    code: failure.code.startsWith('JOVIAN_E_') ? failure.code : 'JOVIAN_E_UNEXPECTED',
    severity: 'warning',
    message: `plugin \`${plugin.id}\` loads as unsigned: its signature does not verify: ${failure.message}`,
    hint: `${fix}check it with \`jovian plugins verify ${plugin.dir}\` (trust store ${settings.trustStore})`,
    plugin: plugin.id,
  };
  return { ...UNSIGNED, diagnostics: [warning] };
}

/**
 * Verifies a signed plugin again before a hot reload: the reload keeps the plugin's trust, so the new
 * files must still carry a valid signature of a key with that same level. Returns the signature now on
 * disk. @throws JOVIAN_E_RELOAD_FAILED naming the failure; the running version is untouched.
 */
export async function recheckSignature(
  plugin: { readonly id: string; readonly dir: string; readonly trust: TrustLevel },
  settings: TrustSettings,
): Promise<PluginSignature> {
  const fail = (why: string, hint: string): never => {
    throw new JovianError('JOVIAN_E_RELOAD_FAILED', `plugin \`${plugin.id}\` was not reloaded: ${why}`, {
      hint,
    });
  };
  let verified: VerifiedPackage | undefined;
  try {
    verified = await verifyPluginFolder(plugin.dir, await settings.signers(), { strict: true });
  } catch (error) {
    const failure = errorToData(error);
    fail(
      `it is signed, and its signature no longer verifies: ${failure.message} [${failure.code}]`,
      `pack and sign it again after changing it (\`jovian plugins pack ${plugin.dir}\`, then \`jovian plugins sign ${plugin.dir} --key <key>\`), or restart the host to load it as it is; the running version is untouched`,
    );
  }
  const signed = verified as VerifiedPackage;
  if (signed.trust !== plugin.trust)
    fail(
      `its new signature (${signed.signer}) gives trust \`${signed.trust}\`, not \`${plugin.trust}\` as loaded`,
      'restart the host to load it with its new trust level',
    );
  const sigStats = statSync(join(plugin.dir, SIGNATURE_FILE));
  return { signer: signed.signer, fingerprint: signed.fingerprint, date: sigStats.mtime.toISOString() };
}
