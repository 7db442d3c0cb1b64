import { readFile, rename } from 'node:fs/promises';
import { diagnostic, JovianError } from '../errors.js';
import type { Diagnostic } from '../types.js';
import { writeFileAtomic } from '../util/index.js';

/**
 * A plugin's persisted key/value state (state.json in its data folder). Values must be JSON; every
 * change is on disk (written atomically) before `set` / `delete` resolve, and changes made in the same
 * tick share one write. A corrupt file is kept aside as `state.json.corrupt-<time>` — never silently
 * lost — and the plugin starts with empty state.
 */
export class PluginStateStore {
  readonly #file: string;
  #data: Record<string, unknown> = {};
  #loading: Promise<Diagnostic | undefined> | undefined;
  #pending: Promise<void> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  get file(): string {
    return this.#file;
  }

  /** Reads state.json once; returns a warning when the file was corrupt and was set aside. */
  load(): Promise<Diagnostic | undefined> {
    this.#loading ??= this.#load();
    return this.#loading;
  }

  async get(key: string): Promise<unknown> {
    await this.load();
    const value = this.#data[key];
    return value === undefined ? undefined : structuredClone(value);
  }

  async set(key: string, value: unknown): Promise<void> {
    assertJson(value, key);
    await this.load();
    this.#data[key] = structuredClone(value);
    await this.#scheduleWrite();
  }

  async delete(key: string): Promise<boolean> {
    await this.load();
    if (!Object.hasOwn(this.#data, key)) return false;
    delete this.#data[key];
    await this.#scheduleWrite();
    return true;
  }

  async keys(): Promise<string[]> {
    await this.load();
    return Object.keys(this.#data);
  }

  async #load(): Promise<Diagnostic | undefined> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new JovianError(
        'JOVIAN_E_FILE_READ_FAILED',
        `cannot read ${this.#file}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not a JSON object');
      this.#data = Object.assign(Object.create(null) as Record<string, unknown>, parsed);
      return undefined;
    } catch (error) {
      const aside = `${this.#file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(this.#file, aside);
      this.#data = {};
      return diagnostic(
        'JOVIAN_E_STATE_NOT_JSON',
        `${this.#file} was not valid JSON (${(error as Error).message}); it was kept as ${aside} and the plugin starts with empty state`,
        {
          severity: 'warning',
          hint: `repair ${aside} and copy it back to restore the state`,
        },
      );
    }
  }

  /** Writes once for every change made before the write starts. */
  #scheduleWrite(): Promise<void> {
    if (this.#pending) return this.#pending;
    const pending = new Promise<void>((resolve, reject) => {
      queueMicrotask(() => {
        this.#pending = undefined;
        const text = `${JSON.stringify(this.#data, null, 2)}\n`;
        this.#writing = this.#writing.catch(() => undefined).then(() => writeFileAtomic(this.#file, text));
        this.#writing.then(resolve, reject);
      });
    });
    this.#pending = pending;
    return pending;
  }
}

/** @throws JOVIAN_E_STATE_NOT_JSON naming the key and the path of the value that is not JSON. */
export function assertJson(value: unknown, key: string): void {
  const seen = new Set<object>();
  const visit = (at: unknown, path: string): void => {
    const fail = (what: string): never => {
      throw new JovianError(
        'JOVIAN_E_STATE_NOT_JSON',
        `state \`${key}\`: ${path} is ${what}, which JSON cannot store`,
      );
    };
    if (at === null || typeof at === 'string' || typeof at === 'boolean') return;
    if (typeof at === 'number') {
      if (!Number.isFinite(at)) fail(String(at));
      return;
    }
    if (at === undefined) fail('undefined');
    if (typeof at !== 'object') fail(`a ${typeof at}`);
    const object = at as object;
    if (seen.has(object)) fail('a circular reference');
    seen.add(object);
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) visit(object[i], `${path}[${i}]`);
    } else {
      const proto = Object.getPrototypeOf(object) as object | null;
      if (proto !== Object.prototype && proto !== null)
        fail(`an instance of ${object.constructor?.name ?? 'a class'}`);
      for (const [k, v] of Object.entries(object)) visit(v, `${path}.${k}`);
    }
    seen.delete(object);
  };
  visit(value, 'value');
}
