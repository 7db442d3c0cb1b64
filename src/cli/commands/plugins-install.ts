import { createInterface } from 'node:readline/promises';
import { JovianError } from '../../errors.js';
import type { InstallOutcome, InstallPlan } from '../../packaging/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { type InstallerOptions, localInstaller } from './local-installer.js';

export interface InstallFlags extends InstallerOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly allowDowngrade?: boolean;
  readonly installDeps?: boolean;
  readonly json?: boolean;
}

const ACTION_WORDS: Readonly<Record<InstallPlan['action'], string>> = {
  install: 'new install',
  update: 'update',
  reinstall: 'reinstall',
  downgrade: 'downgrade',
};

/** The plan as the user reads it before consenting: what, from where, who signed it, what it may touch. */
export function renderPlan(plan: InstallPlan): string[] {
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

async function askConsent(ctx: CliContext, plan: InstallPlan): Promise<boolean> {
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

function outcomeJson(outcome: InstallOutcome) {
  const { manifest: _manifest, previous, ...plan } = outcome.plan;
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
function report(ctx: CliContext, outcomes: readonly InstallOutcome[], json: boolean): ExitCode {
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
    else if (outcome.status === 'unchanged') ctx.line(`  already installed: ${outcome.folder}`);
    else if (outcome.status === 'installed') ctx.line(`  ${style.green('installed')} → ${outcome.folder}`);
  }
  return EXIT.OK;
}

const consentFor = (ctx: CliContext, flags: InstallFlags) =>
  !flags.yes && !flags.json && process.stdin.isTTY ? (plan: InstallPlan) => askConsent(ctx, plan) : undefined;

/** `jovian plugins install <dir|.tgz|.zip|url|name> [--yes] [--dry-run] [--allow-downgrade] [--install-deps]` */
export async function pluginsInstall(
  ctx: CliContext,
  source: string,
  flags: InstallFlags,
): Promise<ExitCode> {
  const installer = await localInstaller(ctx, flags);
  const outcomes = await installer.install(source, { ...flags, consent: consentFor(ctx, flags) });
  return report(ctx, outcomes, flags.json === true);
}

/** `jovian plugins update <id> [--yes] [--dry-run]`: to the newest version the catalog offers. */
export async function pluginsUpdate(ctx: CliContext, id: string, flags: InstallFlags): Promise<ExitCode> {
  const installer = await localInstaller(ctx, flags);
  const outcomes = await installer.update(id, { ...flags, consent: consentFor(ctx, flags) });
  if (outcomes === 'up-to-date') {
    if (flags.json) ctx.json([{ status: 'up-to-date', id }]);
    else ctx.line(`${id} is up to date`);
    return EXIT.OK;
  }
  return report(ctx, outcomes, flags.json === true);
}

/** `jovian plugins check-updates [--catalog] [--json]` */
export async function pluginsCheckUpdates(ctx: CliContext, flags: InstallFlags): Promise<ExitCode> {
  const updates = await (await localInstaller(ctx, flags)).checkUpdates();
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
  const result = await (await localInstaller(ctx)).uninstall(id, flags);
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
  const result = await (await localInstaller(ctx)).rollback(id);
  if (flags.json) ctx.json({ id, ...result });
  else ctx.line(`${id}: ${result.from} → ${result.to}`);
  return EXIT.OK;
}
