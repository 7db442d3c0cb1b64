import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import SemVer from 'semver/classes/semver.js';
import satisfies from 'semver/functions/satisfies.js';
import { type ErrorCode, JovianError } from '../errors.js';
import {
  CORE_PLUGIN_IDS,
  JOVIAN_VERSION,
  NO_PERMISSION_SENTENCE,
  permissionSentences,
} from '../host/index.js';
import { rereadPlugin } from '../manifest/index.js';
import {
  checkPackageFiles,
  MANIFEST_FILE,
  parseManifestBytes,
  pluginContentHash,
  SIGNATURE_FILE,
  type TrustedSigner,
  type TrustLevel,
  verifyPluginFolder,
} from '../security/index.js';
import type { Manifest, Permissions } from '../types.js';
import { type PermissionChange, permissionChanges, widens } from './permission-changes.js';
import type { StagedSource } from './stage-source.js';

/** `strict`: only packages signed by a trusted key install. `permissive`: others need consent. */
export type TrustMode = 'strict' | 'permissive';

/** The version a plugin has installed now. */
export interface InstalledVersion {
  readonly version: string;
  readonly folder: string;
  readonly permissions: Permissions;
}

/** Everything an install would do, for the user to read before consenting. */
export interface InstallPlan {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly runtime: string;
  readonly source: { readonly kind: StagedSource['kind']; readonly origin: string };
  /** `sha256:<hex>` of the canonical MANIFEST.json of the files (signed or not). */
  readonly hash: string;
  readonly trust: TrustLevel;
  /** The signature that verified, or null. */
  readonly signature: { readonly signer: string; readonly fingerprint: string } | null;
  /** Why the package counts as unsigned, when it does. */
  readonly unsigned: string | null;
  readonly action: 'install' | 'update' | 'reinstall' | 'downgrade';
  readonly previous: InstalledVersion | null;
  /** All it may touch, in plain words. */
  readonly permissions: readonly string[];
  /** On update: how permissions change. */
  readonly changes: readonly PermissionChange[];
  /** Why the user must consent (empty: nothing to consent to). */
  readonly consent: readonly string[];
  /** Required dependencies that are not installed (or not in a satisfying version). */
  readonly missing: readonly { readonly id: string; readonly range: string }[];
  readonly manifest: Manifest;
}

export interface PlanOptions {
  readonly mode: TrustMode;
  readonly allowUnsignedLocal: boolean;
  readonly signers: readonly TrustedSigner[];
  readonly allowDowngrade: boolean;
  /** The version of a plugin installed now, if any. */
  readonly previous: (id: string) => Promise<InstalledVersion | null>;
  /** The version of each plugin the host knows (installed or found), for the dependency check. */
  readonly known: ReadonlyMap<string, string>;
  /** The host version `engines.jovian` is checked against; default this package's. */
  readonly hostVersion?: string | undefined;
}

/** Reads and checks a plugin folder's plugin.yaml, as discovery does; every error at once, at its line. */
export function readFolderManifest(root: string): Manifest {
  const found = rereadPlugin(
    { dir: root, file: join(root, 'plugin.yaml'), layout: 'folder' },
    CORE_PLUGIN_IDS,
  );
  if (!found)
    throw new JovianError('JOVIAN_E_MANIFEST_NOT_FOUND', 'the package has no plugin.yaml at its root', {
      hint: 'packages are made from plugin folders with a plugin.yaml (jovian plugins pack <dir>)',
    });
  const errors = found.diagnostics.filter((d) => d.severity === 'error');
  if (!found.manifest || errors.length > 0) {
    const where = (d: (typeof errors)[number]) =>
      d.where ? `plugin.yaml:${d.where.line}:${d.where.column}: ` : 'plugin.yaml: ';
    throw new JovianError(
      'JOVIAN_E_INSTALL_MANIFEST_INVALID',
      `the package's plugin.yaml is not valid:\n${errors.map((d) => `  ${where(d)}${d.message}`).join('\n')}`,
      {
        hint: 'fix plugin.yaml in the plugin folder (jovian plugins doctor shows the same), pack and sign again',
      },
    );
  }
  return found.manifest;
}

/** Signature check by mode: the trust it gives, or why the package counts as unsigned. */
async function trustOf(
  staged: StagedSource,
  options: PlanOptions,
): Promise<{ trust: TrustLevel; signature: InstallPlan['signature']; unsigned: string | null }> {
  const signed = await readFile(join(staged.root, SIGNATURE_FILE)).then(
    () => true,
    () => false,
  );
  let reason: string;
  let failure: JovianError | undefined;
  if (signed) {
    try {
      const verified = await verifyPluginFolder(staged.root, options.signers, { strict: true });
      if (staged.entry?.signer && staged.entry.signer !== verified.fingerprint)
        throw new JovianError(
          'JOVIAN_E_SIGNATURE_UNKNOWN_KEY',
          `the package is signed by ${verified.fingerprint}, but the catalog says ${staged.entry.signer}`,
          { hint: 'the package is not the one the catalog lists: do not install it' },
        );
      return {
        trust: verified.trust,
        signature: { signer: verified.signer, fingerprint: verified.fingerprint },
        unsigned: null,
      };
    } catch (error) {
      if (!(error instanceof JovianError)) throw error;
      failure = error;
      reason = `its signature does not verify: ${shortPaths(error.message, staged.root)}`;
    }
  } else {
    reason = 'it is not signed (no plugin.sig)';
    // An unsigned package that carries MANIFEST.json must still match it: a corrupt copy is refused.
    const bytes = await readFile(join(staged.root, MANIFEST_FILE)).catch(() => undefined);
    if (bytes)
      await checkPackageFiles(staged.root, parseManifestBytes(bytes, MANIFEST_FILE), true).catch(
        (error: unknown) => {
          if (!(error instanceof JovianError)) throw error;
          throw new JovianError(
            error.code as ErrorCode,
            `the package does not match its MANIFEST.json: ${shortPaths(error.message, staged.root)}`,
            { hint: error.hint ?? undefined },
          );
        },
      );
  }
  if (staged.entry?.signer)
    throw new JovianError(
      'JOVIAN_E_SIGNATURE_UNKNOWN_KEY',
      `the catalog says ${staged.entry.id}@${staged.entry.version} is signed by ${staged.entry.signer}, but ${reason}`,
      { hint: 'the package is not the one the catalog lists, or its key is not in the trust store' },
    );
  const devFolder = staged.local && options.allowUnsignedLocal;
  if (options.mode === 'strict' && !devFolder)
    throw new JovianError(
      (failure?.code as ErrorCode | undefined) ?? 'JOVIAN_E_PACKAGE_UNSIGNED',
      `refused in strict mode: ${reason}`,
      {
        hint:
          failure?.hint ??
          'install a package signed by a key of the trust store (docs/packaging.md), or set security.mode: permissive in jovian.yaml',
      },
    );
  return { trust: 'unsigned', signature: null, unsigned: reason };
}

/** Messages name files relative to the package, not to the staging folder. */
function shortPaths(message: string, root: string): string {
  return message.split(`${root}${sep}`).join('').split(root).join('(package)');
}

function actionOf(
  version: string,
  previous: InstalledVersion | null,
  allowDowngrade: boolean,
): InstallPlan['action'] {
  if (!previous) return 'install';
  const order = new SemVer(version).compare(previous.version);
  if (order > 0) return 'update';
  if (order === 0) return 'reinstall';
  if (!allowDowngrade)
    throw new JovianError(
      'JOVIAN_E_INSTALL_DOWNGRADE',
      `the package is version ${version}, older than the installed ${previous.version}`,
      { hint: 'to go back to an older version on purpose, run again with --allow-downgrade' },
    );
  return 'downgrade';
}

/**
 * Checks a staged package and says what installing it would do: its manifest and host range, its
 * signature under the trust mode, the version change (a downgrade is refused unless allowed), the
 * dependencies it lacks, its permissions in plain words (on update: only what changes), and why
 * consent is needed. Nothing is installed here.
 */
export async function planInstall(staged: StagedSource, options: PlanOptions): Promise<InstallPlan> {
  // The signature first: a changed file is reported as such, even when the change breaks plugin.yaml.
  const { trust, signature, unsigned } = await trustOf(staged, options);
  const manifest = readFolderManifest(staged.root);
  const hostVersion = options.hostVersion ?? JOVIAN_VERSION;
  if (!satisfies(hostVersion, manifest.engines.jovian, { includePrerelease: true }))
    throw new JovianError(
      'JOVIAN_E_INSTALL_HOST_RANGE',
      `plugin \`${manifest.id}\` ${manifest.version} needs Jovian ${manifest.engines.jovian}; this is ${hostVersion}`,
      { hint: 'install a version of the plugin made for this Jovian, or update Jovian' },
    );
  const previous = await options.previous(manifest.id);
  const action = actionOf(manifest.version, previous, options.allowDowngrade);
  const changes = previous ? permissionChanges(previous.permissions, manifest.permissions) : [];
  const words = permissionSentences(manifest.permissions);
  const consent: string[] = [];
  if (unsigned) consent.push(`the package is unsigned: ${unsigned}`);
  if (!previous && manifest.permissions && words[0] !== NO_PERMISSION_SENTENCE)
    consent.push(`it may ${words.join('; ')}`);
  for (const change of changes.filter(widens)) consent.push(`it may now ${change.words} (${change.change})`);
  const missing = manifest.dependencies
    .filter((d) => !d.optional)
    .filter((d) => {
      const have = options.known.get(d.id);
      return have === undefined || !satisfies(have, d.version, { includePrerelease: true });
    })
    .map((d) => ({ id: d.id, range: d.version }));
  return {
    id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    runtime: manifest.runtime,
    source: { kind: staged.kind, origin: staged.origin },
    hash: await pluginContentHash(staged.root, manifest.id, manifest.version),
    trust,
    signature,
    unsigned,
    action,
    previous,
    permissions: words,
    changes,
    consent,
    missing,
    manifest,
  };
}
