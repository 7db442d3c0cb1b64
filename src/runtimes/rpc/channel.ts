/**
 * The two directions of the plugin boundary, as message tables. Every argument and result is
 * structured-cloneable; callbacks are referred to by numeric ids that stay valid on the side that
 * created them. In-process, these are plain function calls; other runtimes carry the same calls over a
 * transport (MessagePort, IPC, stdio) without changing either side.
 */
import type { ErrorData } from '../../types.js';
import type {
  BusEventData,
  CommandInvocation,
  ConfigChange,
  FileStat,
  HealthReport,
  HttpRequest,
  HttpResponse,
  JobOutcome,
  JobProgress,
  JobStart,
  LogLevel,
  RouteRequest,
  RouteResponse,
  RunOptions,
  RunResult,
} from './plugin-api.js';

/** Calls a plugin makes on the host (each answered asynchronously). */
export interface HostCalls {
  log(level: LogLevel, message: string, data?: unknown): void;
  'config.get'(key?: string): unknown;
  'config.set'(key: string, value: unknown): void;
  /** Asks the host to call `config.changed` on the guest after every change. */
  'config.watch'(): void;
  'state.get'(key: string): unknown;
  'state.set'(key: string, value: unknown): void;
  'state.delete'(key: string): boolean;
  'state.keys'(): string[];
  'hooks.tap'(hook: string, tapId: number): void;
  'hooks.untap'(hook: string, tapId: number): void;
  'events.emit'(topic: string, payload: unknown): void;
  'events.subscribe'(pattern: string, subscriptionId: number): void;
  'events.unsubscribe'(subscriptionId: number): void;
  'plugins.has'(id: string): boolean;
  /** The API method names of `id` (activating it), or null when an optional dependency is absent. */
  'plugins.describe'(id: string): string[] | null;
  'plugins.call'(id: string, method: string, args: unknown[]): unknown;
  'contributions.register'(kind: ContributionKind, key: string, handlerId: number): void;
  'contributions.unregister'(kind: ContributionKind, key: string, handlerId: number): void;
  'fs.readFile'(path: string): Uint8Array;
  'fs.writeFile'(path: string, data: string | Uint8Array): void;
  'fs.readdir'(path: string): string[];
  'fs.stat'(path: string): FileStat;
  'http.fetch'(url: string, request: HttpRequest): HttpResponse;
  'runner.run'(command: string, args: readonly string[], options: RunOptions): RunResult;
  /** The plugin serves jobs of `name` (declared in contributes.jobs.handlers). */
  'jobs.register'(name: string): void;
  'jobs.unregister'(name: string): void;
  /** Queues a job of the plugin's own handler `name`; answers its id. */
  'jobs.submit'(name: string, params: unknown): string;
  'jobs.progress'(jobId: string, progress: JobProgress): void;
  /** The handler of `jobId` ended; an outcome for a job that already ended is ignored. */
  'jobs.finish'(jobId: string, outcome: JobOutcome): void;
}

export type ContributionKind = 'command' | 'route' | 'panel';

/** Calls the host makes on a plugin. */
export interface GuestCalls {
  activate(): void;
  deactivate(): void;
  health(): HealthReport | null;
  metrics(): Readonly<Record<string, number>> | null;
  run(input: unknown): unknown;
  /** The names of the functions in the plugin's `api`. */
  'api.describe'(): string[];
  'api.call'(method: string, args: unknown[]): unknown;
  'tap.invoke'(tapId: number, args: unknown[]): unknown;
  'event.deliver'(subscriptionId: number, event: BusEventData): void;
  'config.changed'(change: ConfigChange): void;
  'contribution.invoke'(
    handlerId: number,
    input: CommandInvocation | RouteRequest | unknown,
  ): unknown | RouteResponse;
  /** Config migrations the plugin defines, by target version. */
  'migrations.list'(): number[];
  'migrations.run'(version: number, previous: Record<string, unknown>): Record<string, unknown>;
  /**
   * Starts the handler of a job and answers at once; the plugin reports progress with `jobs.progress`
   * and the end with `jobs.finish` (so a long job holds no call open past the call deadline).
   */
  'job.start'(job: JobStart): void;
  /** Aborts the signal of a running job (cancelled, or past its deadline). Unknown ids are ignored. */
  'job.cancel'(jobId: string, reason: 'cancelled' | 'timed_out'): void;
}

/**
 * The host's calls whose log lines and call-backs are filed with the work that made them (a hook call
 * or an event of one chat exchange among several): the plugin tags what it sends while serving them
 * with their id (`cause`). Other calls (run, commands…) skip the cost.
 */
export const TRACED_CALLS: readonly GuestMethod[] = ['tap.invoke', 'event.deliver'];

export type HostMethod = keyof HostCalls;
export type GuestMethod = keyof GuestCalls;
type Fn = (...args: never[]) => unknown;

/** Sends calls to the other side; every call is answered by a promise. */
export interface Port<Calls extends { [K in keyof Calls]: Fn }> {
  call<M extends keyof Calls>(
    method: M,
    ...args: Parameters<Calls[M]>
  ): Promise<Awaited<ReturnType<Calls[M]>>>;
}

/** Answers calls from the other side. Errors thrown here reach the caller as JovianErrors. */
export type Handlers<Calls extends { [K in keyof Calls]: Fn }> = {
  [M in keyof Calls]: (
    ...args: Parameters<Calls[M]>
  ) => ReturnType<Calls[M]> | Promise<Awaited<ReturnType<Calls[M]>>>;
};

/** A failed call, as it crosses a boundary. */
export interface CallFailure {
  readonly error: ErrorData;
}
