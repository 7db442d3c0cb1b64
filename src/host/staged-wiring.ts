import { ContributionRegistry, type EventSlots, type HookSlots, type PluginScope } from '../bridge/index.js';
import type { Manifest } from '../types.js';

/** A new version started beside the running one (hot reload): its manifest and its kept wiring. */
export interface StagedLaunch {
  readonly manifest: Manifest;
  readonly wiring: StagedWiring;
}

/** The doors through which a plugin wires itself into the host: hook taps, listeners, handlers. */
export type WiringDoors = Pick<PluginScope, 'hookSlots' | 'eventSlots' | 'contributions'>;

/**
 * The wiring of a new version started beside the running one (hot reload of a `worker` or `process`
 * plugin). While the new version activates, the old one keeps serving: what the new one taps,
 * subscribes to or registers is checked against its own manifest and kept aside, in order. Once the
 * old version has stopped, `connect()` replays it into the host and later calls go straight through.
 * `discard()` forgets it (the new version failed to start). Not a sandbox: the new version's other
 * doors (files, events it emits, jobs) work as usual while it starts.
 */
export class StagedWiring {
  readonly #declared = new ContributionRegistry();
  /** Wiring kept aside while staged; undefined once connected or discarded. */
  #pending: (() => void)[] | undefined = [];
  #connected = false;

  constructor(manifest: Manifest) {
    this.#declared.declare(manifest);
  }

  /** The doors the new version's bridge uses in place of `real`. */
  doors(real: WiringDoors): WiringDoors {
    const hookSlots: HookSlots = {
      bind: (hook, tapId) => this.#later(() => real.hookSlots.bind(hook, tapId)),
      unbind: (hook, tapId) => this.#later(() => real.hookSlots.unbind(hook, tapId)),
    };
    const eventSlots: EventSlots = {
      subscribe: (pattern, id) => this.#later(() => real.eventSlots.subscribe(pattern, id)),
      unsubscribe: (id) => this.#later(() => real.eventSlots.unsubscribe(id)),
    };
    const contributions: WiringDoors['contributions'] = {
      bind: (kind, pluginId, key, handlerId) =>
        this.#later(
          () => real.contributions.bind(kind, pluginId, key, handlerId),
          // Throws JOVIAN_E_CONTRIBUTION_UNDECLARED now, as it would for a plugin starting afresh.
          () => this.#declared.bind(kind, pluginId, key, handlerId),
        ),
      unbind: (kind, pluginId, key, handlerId) =>
        this.#later(() => real.contributions.unbind(kind, pluginId, key, handlerId)),
    };
    return { hookSlots, eventSlots, contributions };
  }

  /**
   * Replays the kept wiring into the host (the old version has stopped, the new manifest is in place).
   * Returns what could not be wired; the rest is.
   */
  connect(): Error[] {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    this.#connected = true;
    const failures: Error[] = [];
    for (const apply of pending) {
      try {
        apply();
      } catch (error) {
        failures.push(error as Error);
      }
    }
    return failures;
  }

  /** True while the new version starts beside the old one (neither connected nor discarded). */
  get staged(): boolean {
    return this.#pending !== undefined;
  }

  /** Forgets the kept wiring: the new version did not start. */
  discard(): void {
    this.#pending = undefined;
  }

  #later(apply: () => void, check?: () => void): void {
    if (this.#pending === undefined) {
      if (this.#connected) apply();
      return;
    }
    check?.();
    this.#pending.push(apply);
  }
}
