import { join } from 'node:path';
import { defaultDataDir } from '../../host/index.js';
import { packPlugin, signPlugin, verifyPackage } from '../../packaging/index.js';
import { loadTrustStore } from '../../security/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/** `jovian plugins pack <dir> [--out <dir>] [--json]`: writes MANIFEST.json and `<id>-<version>.tgz`. */
export async function pluginsPack(
  ctx: CliContext,
  dir: string,
  options: { out?: string; json?: boolean },
): Promise<ExitCode> {
  const result = await packPlugin(dir, options.out);
  if (options.json) ctx.json(result);
  else
    ctx.line(
      `packed ${result.id}@${result.version}: ${result.files} files${result.signed ? ' + plugin.sig' : ' (unsigned)'} → ${result.file}`,
    );
  return EXIT.OK;
}

/** `jovian plugins sign <pkg|dir> --key <file> [--json]`: writes plugin.sig (and repacks a .tgz). */
export async function pluginsSign(
  ctx: CliContext,
  target: string,
  options: { key: string; json?: boolean },
): Promise<ExitCode> {
  const result = await signPlugin(target, options.key);
  if (options.json) ctx.json(result);
  else ctx.line(`signed ${result.id}@${result.version} with key ${result.fingerprint} → ${result.file}`);
  return EXIT.OK;
}

/** The trust store used when `--trust-store` is not given. */
export function defaultTrustStore(ctx: CliContext): string {
  return join(ctx.options.dataDir ?? defaultDataDir(), 'allowed_signers');
}

/** `jovian plugins verify <pkg|dir> [--trust-store <file>] [--json]`: signer, fingerprint, trust, or the error. */
export async function pluginsVerify(
  ctx: CliContext,
  target: string,
  options: { trustStore?: string; json?: boolean },
): Promise<ExitCode> {
  const signers = await loadTrustStore(options.trustStore ?? defaultTrustStore(ctx));
  const result = await verifyPackage(target, signers);
  if (options.json) ctx.json(result);
  else {
    ctx.line(`verified ${result.id}@${result.version}`);
    ctx.line(`  signer       ${result.signer}`);
    ctx.line(`  fingerprint  ${result.fingerprint}`);
    ctx.line(`  trust        ${result.trust}`);
  }
  return EXIT.OK;
}
