import { createInterface } from 'node:readline/promises';
import { JovianError } from '../../errors.js';
import type { ApiInstallOutcome, ApiInstallPlan } from '../../server/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { runningServer } from '../server-api.js';
import { type InstallerOptions, localInstaller } from './local-installer.js';
import { ServerInstallClient } from './server-install-client.js';

export interface InstallFlags extends InstallerOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly allowDowngrade?: boolean;
  readonly installDeps?: boolean;
  readonly json?: boolean;
}

/** An outcome of this process's installer or of the server's (which names no folder). */
type ShownOutcome = ApiInstallOutcome & { readonly folder?: string };

const ACTION_WORDS: Readonly<Record<ApiInstallPlan['action'], string>> = {
  install: 'new install',
  update: 'update',
  reinstall: 'reinstall',
  downgrade: 'downgrade',
};

/** The plan as the user reads it before consenting: what, from where, who signed it, what it may touch. */
export function renderPlan(plan: ApiInstallPlan): string[] {
  const from = plan.previous ? ` from ${plan.previous.version}` : '';
  const lines = [
    `${style.bold(`${plan.id} ${plan.version}`)} (${ACTION_WORDS[plan.action]}${from}) — ${plan.runtime}, from ${plan.source.origin}`,
    plan.signature
      ? `  trust     ${plan.trust}: signed by ${plan.signature.signer} (${plan.signature.fingerprint})`
      : '  trust     unsigned',
  ];
  if (plan.previous) {
    if (plan.changes.length === 0) lines.push('  permissions unchanged');
    for (const change of plan.changes)
      lines.push(
        `  ${change.change === 'added' || change.change === 'widened' ? '+' : '-'} ${change.words} (${change.permission} ${change.change})`,
      );
  } else lines.push(`  may       ${plan.permissions.join('; ')}`);
  if (plan.missing.length > 0)
    lines.push(`  requires  ${plan.missing.map((d) => `${d.id} ${d.range}`).join(', ')} (not installed)`);
  return lines;
}

async function askConsent(ctx: CliContext, plan: ApiInstallPlan): Promise<boolean> {
  ctx.line('It needs your consent:');
  for (const reason of plan.consent) ctx.line(`  - ${reason}`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(
      `${plan.action === 'install' ? 'Install' : 'Apply'} ${plan.id} ${plan.version}? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function outcomeJson(outcome: ShownOutcome) {
  const { manifest: _manifest, previous, ...plan } = outcome.plan as ApiInstallPlan & { manifest?: unknown };
  return {
    status: outcome.status,
    ...plan,
    previous: previous ? { version: previous.version } : null,
    ...('folder' in outcome ? { folder: outcome.folder } : {}),
  };
}

/**
 * Shows each outcome; a plan held for consent ends in JOVIAN_E_INSTALL_CONSENT_REQUIRED after its
 * reasons, so that scripts fail and people read what to accept.
 */
function report(ctx: CliContext, outcomes: readonly ShownOutcome[], json: boolean): ExitCode {
  if (json) ctx.json(outcomes.map(outcomeJson));
  for (const outcome of outcomes) {
    if (!json) for (const line of renderPlan(outcome.plan)) ctx.line(line);
    if (outcome.status === 'needs-consent') {
      const { plan } = outcome;
      if (!json) for (const reason of plan.consent) ctx.line(`  ! ${reason}`);
      return ctx.fail(
        new JovianError(
          'JOVIAN_E_INSTALL_CONSENT_REQUIRED',
          `${plan.id} ${plan.version} was not ${plan.previous ? 'applied' : 'installed'}: it needs consent (${plan.consent.length} reason${plan.consent.length === 1 ? '' : 's'} above)`,
          { hint: 'read what it asks for, then run again with --yes to accept' },
        ),
        json,
      );
    }
    if (json) continue;
    if (outcome.status === 'dry-run') ctx.line('  (dry run: nothing was changed)');
    else if (outcome.status === 'unchanged')
      ctx.line(`  already installed${outcome.folder ? `: ${outcome.folder}` : ''}`);
    else if (outcome.status === 'installed')
      ctx.line(`  ${style.green('installed')}${outcome.folder ? ` → ${outcome.folder}` : ''}`);
  }
  return EXIT.OK;
}

const consentFor = (ctx: CliContext, flags: InstallFlags) =>
  !flags.yes && !flags.json && process.stdin.isTTY
    ? (plan: ApiInstallPlan) => askConsent(ctx, plan)
    : undefined;

/** The running server's install client, when `jovian serve` runs over the data directory. */
async function serverClient(ctx: CliContext): Promise<ServerInstallClient | undefined> {
  const server = await runningServer(ctx.dataDir);
  return server ? new ServerInstallClient(server) : undefined;
}

/** On the server path the plan is shown before the question (the server holds it until consent). */
function askAfterPlan(ctx: CliContext, flags: InstallFlags) {
  const ask = consentFor(ctx, flags);
  return ask
    ? (plan: ApiInstallPlan) => {
        for (const line of renderPlan(plan)) ctx.line(line);
        return ask(plan);
      }
    : undefined;
}

/** `jovian plugins install <dir|.tgz|.zip|url|name> [--yes] [--dry-run] [--allow-downgrade] [--install-deps]` */
export async function pluginsInstall(
  ctx: CliContext,
  source: string,
  flags: InstallFlags,
): Promise<ExitCode> {
  const server = await serverClient(ctx);
  if (server) {
    const answer = await server.install(source, flags, askAfterPlan(ctx, flags));
    return report(ctx, answer.outcomes, flags.json === true);
  }
  const installer = await localInstaller(ctx, flags);
  const outcomes = await installer.install(source, { ...flags, consent: consentFor(ctx, flags) });
  return report(ctx, outcomes, flags.json === true);
}

/** `jovian plugins update <id> [--yes] [--dry-run]`: to the newest version the catalog offers. */
export async function pluginsUpdate(ctx: CliContext, id: string, flags: InstallFlags): Promise<ExitCode> {
  const server = await serverClient(ctx);
  const outcomes = server
    ? await server
        .update(id, flags, askAfterPlan(ctx, flags))
        .then((answer) => (answer.status === 'up-to-date' ? ('up-to-date' as const) : answer.outcomes))
    : await (await localInstaller(ctx, flags)).update(id, { ...flags, consent: consentFor(ctx, flags) });
  if (outcomes === 'up-to-date') {
    if (flags.json) ctx.json([{ status: 'up-to-date', id }]);
    else ctx.line(`${id} is up to date`);
    return EXIT.OK;
  }
  return report(ctx, outcomes, flags.json === true);
}

/** `jovian plugins check-updates [--catalog] [--json]` */
export async function pluginsCheckUpdates(ctx: CliContext, flags: InstallFlags): Promise<ExitCode> {
  const server = await serverClient(ctx);
  const updates = server
    ? (await server.checkUpdates(flags)).updates
    : await (await localInstaller(ctx, flags)).checkUpdates();
  if (flags.json) ctx.json(updates);
  else if (updates.length === 0) ctx.line('every installed plugin is up to date');
  else
    for (const u of updates)
      ctx.line(`${u.id}  ${u.installed} → ${u.available}  (jovian plugins update ${u.id})`);
  return EXIT.OK;
}

/** `jovian plugins uninstall <id> [--cascade] [--purge]` */
export async function pluginsUninstall(
  ctx: CliContext,
  id: string,
  flags: { cascade?: boolean; purge?: boolean; json?: boolean },
): Promise<ExitCode> {
  const server = await serverClient(ctx);
  const result = server
    ? await server.uninstall(id, flags)
    : await (await localInstaller(ctx)).uninstall(id, flags);
  if (flags.json) ctx.json({ id, ...result });
  else {
    for (const d of result.disabled) ctx.line(`disabled ${d} (it requires ${id})`);
    ctx.line(`uninstalled ${id} ${result.version}${flags.purge ? ' and its settings and data' : ''}`);
  }
  return EXIT.OK;
}

/** `jovian plugins rollback <id>`: back to the previous kept version. */
export async function pluginsRollback(
  ctx: CliContext,
  id: string,
  flags: { json?: boolean },
): Promise<ExitCode> {
  const server = await serverClient(ctx);
  const result = server ? await server.rollback(id) : await (await localInstaller(ctx)).rollback(id);
  if (flags.json) ctx.json({ id, from: result.from, to: result.to });
  else ctx.line(`${id}: ${result.from} → ${result.to}`);
  return EXIT.OK;
}
