import { describePlugin, type PluginDetails } from '../../host/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { renderDiagnostic } from '../output/render-diagnostics.js';
import { style } from '../output/style.js';
import { colourState, colourTrust } from './plugins-list.js';

/** `jovian plugins info <id> [--json]`: manifest facts, state and reason, permissions, contributions. */
export async function pluginsInfo(
  ctx: CliContext,
  id: string,
  options: { json?: boolean },
): Promise<ExitCode> {
  const host = ctx.host();
  await host.load();
  const details = describePlugin(host.require(id));
  if (options.json) {
    ctx.json(details);
    return EXIT.OK;
  }
  for (const line of renderDetails(details)) ctx.line(line);
  return EXIT.OK;
}

function renderDetails(d: PluginDetails): string[] {
  const lines = [
    `${style.bold(d.name)} ${style.dim(`(${d.id})`)} ${d.version ?? ''}${d.legacy ? style.yellow('  legacy: migrate to plugin.yaml') : ''}`,
    d.description ? `  ${d.description}` : '',
    `  type        ${d.type}`,
    `  runtime     ${d.runtime ?? '-'}${d.declaredRuntime ? style.dim(`  (declares ${d.declaredRuntime}; raised by the isolation policy)`) : ''}${d.capabilities && !d.capabilities.securityBoundary ? style.dim('  (not isolated)') : ''}`,
    `  trust       ${colourTrust(d.trust, d.dev_unsigned)}${d.dev_unsigned ? style.dim('  (allowed by security.allow_unsigned_local_plugins)') : ''}`,
    d.signature ? `  signed by   ${d.signature.signer}` : '',
    d.signature ? `  signed on   ${d.signature.date}` : '',
    d.signature ? `  key         ${d.signature.fingerprint}` : '',
    `  state       ${colourState(d.state)}${d.reason ? ` — ${d.reason}` : ''}`,
    `  breaker     ${d.health.breaker.state}${d.health.breaker.failures > 0 ? ` (${d.health.breaker.failures} consecutive failures)` : ''}${d.health.breaker.retryAt ? `, trial after ${d.health.breaker.retryAt}` : ''}`,
    `  folder      ${d.dir}`,
    `  manifest    ${d.manifestFile}`,
    `  activation  ${d.activation.length > 0 ? d.activation.join(', ') : 'on demand (run, API)'}${d.activationDerived ? style.dim('  (derived)') : ''}`,
  ];
  if (d.dependencies.length > 0 || d.extends.length > 0) {
    const deps = d.dependencies.map((x) => `${x.id}@${x.version}${x.optional ? ' (optional)' : ''}`);
    lines.push(
      `  depends on  ${[...deps, ...d.extends.map((x) => `${x.id}@${x.version} (extends)`)].join(', ')}`,
    );
  }
  if (d.permissions) {
    const granted = Object.entries(d.permissions).filter(([, grant]) => grant !== false);
    lines.push(
      `  permissions ${granted.length === 0 ? 'none' : granted.map(([name, grant]) => (grant === true ? name : `${name}: ${(grant as string[]).join(', ')}`)).join('; ')}`,
    );
  }
  if (d.contributes) {
    const c = d.contributes;
    const parts = [
      c.hooks.length ? `hooks: ${c.hooks.map((h) => h.name).join(', ')}` : '',
      c.commands.length ? `commands: ${c.commands.map((x) => x.name).join(', ')}` : '',
      c.routes.length ? `routes: ${c.routes.map((r) => `${r.method} ${r.path}`).join(', ')}` : '',
      c.ui.panels.length ? `panels: ${c.ui.panels.map((p) => p.id).join(', ')}` : '',
      c.events.emit.length ? `emits: ${c.events.emit.join(', ')}` : '',
      c.events.subscribe.length ? `listens: ${c.events.subscribe.join(', ')}` : '',
    ].filter(Boolean);
    lines.push(`  contributes ${parts.length ? parts.join('; ') : 'nothing'}`);
  }
  if (d.outcome.activatedAt) {
    lines.push(
      `  last start  ${d.outcome.activatedAt} by ${d.outcome.activatedBy} (load ${d.outcome.loadMs} ms, activate ${d.outcome.activateMs} ms)`,
    );
  }
  if (d.lastReload)
    lines.push(
      `  last reload ${d.lastReload.at}: ${d.lastReload.ok ? 'ok' : `failed: ${d.lastReload.error ?? ''}`}`,
    );
  for (const diagnostic of d.diagnostics) lines.push(`  ${renderDiagnostic(diagnostic)}`);
  return lines.filter((l) => l !== '');
}
