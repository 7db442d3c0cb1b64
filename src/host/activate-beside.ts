import type { PluginInstance } from '../runtimes/index.js';
import type { Manifest, PluginOutcome } from '../types.js';
import { DisposableStore, elapsedMs, withDeadline } from '../util/index.js';
import { asActivationError, safeDispose, withinActivationDeadline } from './activation-failures.js';
import type { ActivationHost } from './activator.js';
import type { PluginCode, PluginRecord } from './plugin-record.js';
import { StagedWiring } from './staged-wiring.js';

/** A new version of a plugin, loaded and activated beside the running one. */
export interface StartedBeside {
  readonly instance: PluginInstance;
  readonly registrations: DisposableStore;
  readonly wiring: StagedWiring;
  readonly outcome: { readonly loadMs?: number; readonly activateMs?: number };
  /** Loading plus activate(). */
  readonly durationMs: number;
}

/**
 * Loads and activates a new version of an active plugin beside the running one (hot reload of a
 * runtime that loads its code from disk into a thread or process of its own): the running version
 * keeps serving meanwhile, and what the new one wires into the host is kept aside until
 * {@link adoptBeside}. Loading plus activate() share the new manifest's activation deadline.
 * @throws the activation failure; the new version is then stopped and nothing of it remains.
 */
export async function startBeside(
  host: ActivationHost,
  record: PluginRecord,
  manifest: Manifest,
  code: PluginCode,
): Promise<StartedBeside> {
  const registrations = new DisposableStore();
  const wiring = new StagedWiring(manifest);
  let instance: PluginInstance | undefined;
  let abandoned = false;
  const started = performance.now();
  const timeoutMs = manifest.limits.timeout_ms ?? host.activationTimeoutMs(record);
  const outcome: { loadMs?: number; activateMs?: number } = {};
  const work = (async () => {
    // The new version reaches the host while it starts, then only while it is the one that serves.
    const reachable = () =>
      wiring.staged || (instance !== undefined && record.active?.instance === instance)
        ? instance
        : undefined;
    const launch = host.prepareLaunch(record, registrations, reachable, { manifest, wiring });
    const runtime = await host.runtimeFor(record, manifest);
    instance = await runtime.load({ ...launch, definition: undefined, cacheBust: code.cacheBust });
    outcome.loadMs = elapsedMs(started);
    if (abandoned) return;
    await host.afterLoad(record, instance, manifest);
    if (abandoned) return;
    const activateStart = performance.now();
    await instance.guest.call('activate');
    outcome.activateMs = elapsedMs(activateStart);
  })();
  try {
    await withinActivationDeadline(record, work, timeoutMs);
  } catch (raw) {
    abandoned = true;
    wiring.discard();
    safeDispose(registrations);
    if (instance) await instance.dispose().catch(() => undefined);
    else void work.then(() => instance?.dispose()).catch(() => undefined);
    throw asActivationError(record, raw);
  }
  return { instance: instance!, registrations, wiring, outcome, durationMs: elapsedMs(started) };
}

/**
 * Makes a version started by {@link startBeside} the one that serves, once the previous one has
 * stopped and the new manifest is in place: its kept wiring is connected (what cannot be is logged).
 */
export function adoptBeside(
  host: ActivationHost,
  record: PluginRecord,
  next: StartedBeside,
  event: string,
): void {
  host.transition(record, 'loading', event);
  record.active = { instance: next.instance, registrations: next.registrations };
  for (const failure of next.wiring.connect())
    host.log('warn', `plugin \`${record.id}\`: ${failure.message}`, { plugin: record.id });
  record.outcome = {
    ...next.outcome,
    activatedBy: event,
    activatedAt: new Date().toISOString(),
  } satisfies PluginOutcome;
  host.measured(record, next.durationMs, 'ready');
  host.transition(record, 'ready', event);
  host.activated(record);
}

/** Stops a version started by {@link startBeside} that will not serve. */
export async function discardBeside(host: ActivationHost, next: StartedBeside): Promise<void> {
  next.wiring.discard();
  await withDeadline(
    next.instance.guest.call('deactivate'),
    host.deactivationTimeoutMs,
    () => new Error('deactivate() timed out'),
  ).catch(() => undefined);
  safeDispose(next.registrations);
  await next.instance.dispose().catch(() => undefined);
}
