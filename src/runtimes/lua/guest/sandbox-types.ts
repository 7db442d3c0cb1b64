/**
 * The Lua sandbox as the Lua guest uses it: one hardened Lua 5.4 state per plugin (docs/lua.md).
 * Values cross as plain data: nil/boolean/number/string and tables of them (arrays or string-keyed).
 */

/** What a plugin's Lua code may call on the host, under `jovian.*` (and `jarvis.*`). */
export interface LuaHostApi {
  /** `jovian.log(message)` / `print(...)` / `warn(...)`. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** `jovian.config.get(key?)`: from a snapshot taken at activation, kept current by the host. */
  configGet(key: string | undefined): unknown;
  configSet(key: string, value: unknown): void;
  /** `jovian.state.get/set`: a local copy, written through to the host (persisted). */
  stateGet(key: string): unknown;
  stateSet(key: string, value: unknown): void;
  /** `jovian.events.emit(topic, data)`. */
  emit(topic: string, data: unknown): void;
  /** `jovian.events.on(topic, callback)`: the sandbox keeps the callback; the host is told the topic. */
  subscribe(topic: string, subscriptionId: number): void;
  /** `jovian.http.get(url)` / `jovian.http.post(url, data)`: answered as `{ status, body }`. */
  http(method: 'GET' | 'POST', url: string, body: unknown): Promise<{ status: number; body: string }>;
}

export interface LuaSandboxOptions {
  /** The plugin id (chunk names, messages). */
  readonly id: string;
  /** Memory cap of this plugin's Lua state, in bytes. */
  readonly memoryBytes: number;
  /** Lua VM instructions one call may run before it fails with "instruction limit". */
  readonly instructionLimit: number;
  readonly api: LuaHostApi;
}

/** One plugin's Lua state. */
export interface LuaSandbox {
  /**
   * Runs the plugin's source (text only: a binary chunk is refused), defining its global functions.
   * @throws an Error whose message gives `<file>:<line>:` for syntax and runtime errors
   */
  load(source: string, file: string): Promise<void>;
  /** True when the plugin defines a global function `name` (`on_chat`, `filter_message`…). */
  hasFunction(name: string): boolean;
  /**
   * Calls a global function with plain-data arguments and returns its first result as plain data
   * (tables become objects or arrays; nil becomes undefined). Held to the instruction limit.
   * @throws an Error with the Lua message and position on a Lua error, a memory error or the limit
   */
  call(name: string, args: readonly unknown[]): Promise<unknown>;
  /** Calls the callback registered by `jovian.events.on` under `subscriptionId`. */
  deliver(subscriptionId: number, event: unknown): Promise<void>;
  /** Bytes the state uses now. */
  memoryUsed(): number;
  close(): void;
}
