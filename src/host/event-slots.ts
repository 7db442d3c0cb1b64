import type { EventSlots } from '../bridge/index.js';
import { type BusEvent, type EventBus, matches, type Subscription } from '../events/index.js';
import type { PluginInstance } from '../runtimes/index.js';
import type { Manifest } from '../types.js';

/**
 * The event delivery of one plugin: a single bus subscription covering every pattern its manifest
 * declares under contributes.events.subscribe, held from the moment the plugin can run. An event that
 * arrives while the plugin is inactive activates it (`onEvent:<pattern>`) and is then delivered; the
 * plugin's own `ctx.events.on` registrations are matched here, on the host side, so one event reaches
 * each of them once, in emit order.
 */
export class PluginEventSlots implements EventSlots {
  readonly #manifest: Manifest;
  readonly #bus: EventBus;
  readonly #activate: (event: string) => Promise<void>;
  readonly #instance: () => PluginInstance | undefined;
  readonly #used: () => void;
  #paused = false;
  readonly #guestSubscriptions = new Map<number, string>();
  #subscription: Subscription | undefined;

  constructor(
    manifest: Manifest,
    bus: EventBus,
    activate: (event: string) => Promise<void>,
    instance: () => PluginInstance | undefined,
    used: () => void,
  ) {
    this.#manifest = manifest;
    this.#bus = bus;
    this.#activate = activate;
    this.#instance = instance;
    this.#used = used;
  }

  install(): void {
    const patterns = this.#manifest.contributes.events.subscribe;
    if (this.#subscription || patterns.length === 0) return;
    this.#subscription = this.#bus.subscribe(patterns, (event) => this.#deliver(event), {
      name: `plugin:${this.#manifest.id}`,
      owner: this.#manifest.id,
    });
  }

  uninstall(): void {
    this.#subscription?.dispose();
    this.#subscription = undefined;
    this.#guestSubscriptions.clear();
  }

  /** Forgets the plugin's own registrations (it stopped) but keeps listening to wake it up. */
  reset(): void {
    this.#guestSubscriptions.clear();
    this.#paused = false;
  }

  /** Events are not delivered while the plugin is suspended (they are dropped, not queued). */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
  }

  subscribe(pattern: string, subscriptionId: number): void {
    this.#guestSubscriptions.set(subscriptionId, pattern);
  }

  unsubscribe(subscriptionId: number): void {
    this.#guestSubscriptions.delete(subscriptionId);
  }

  async #deliver(event: BusEvent): Promise<void> {
    if (this.#paused) return;
    this.#used();
    if (!this.#instance()) {
      const trigger =
        this.#manifest.contributes.events.subscribe.find((p) => matches(p, event.topic)) ?? event.topic;
      await this.#activate(`onEvent:${trigger}`);
    }
    const instance = this.#instance();
    if (!instance) return;
    for (const [id, pattern] of this.#guestSubscriptions) {
      if (matches(pattern, event.topic)) await instance.guest.call('event.deliver', id, event);
    }
  }
}
