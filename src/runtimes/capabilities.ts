import { diagnostic } from '../errors.js';
import type { Diagnostic, Manifest, RuntimeKind } from '../types.js';

/**
 * What each runtime can do, published so that manifests are checked against it (a plugin asking for
 * something its runtime lacks gets a message naming it) and so that docs and `plugins info` can show it.
 */
export interface RuntimeCapabilities {
  readonly kind: RuntimeKind;
  /** Provided by this version of Jovian. */
  readonly available: boolean;
  /** Can tap synchronous hooks (needs to run on the host's thread). */
  readonly syncHooks: boolean;
  /** The host can stop a call that runs too long, including a busy loop. */
  readonly enforcedTimeouts: boolean;
  /** limits.memory_mb is enforced. */
  readonly memoryLimit: boolean;
  /** Code that bypasses ctx cannot touch files. */
  readonly fsIsolation: boolean;
  /** Code that bypasses ctx cannot open connections. */
  readonly networkIsolation: boolean;
  readonly hotReload: boolean;
  /** A security boundary: untrusted code may run here. */
  readonly securityBoundary: boolean;
  readonly notes: string;
}

export const RUNTIME_CAPABILITIES: Readonly<Record<RuntimeKind, RuntimeCapabilities>> = {
  inprocess: {
    kind: 'inprocess',
    available: true,
    syncHooks: true,
    enforcedTimeouts: false,
    memoryLimit: false,
    fsIsolation: false,
    networkIsolation: false,
    hotReload: true,
    securityBoundary: false,
    notes:
      'Runs in the host process: fastest, not isolated. Deadlines abandon slow async work but cannot stop a busy loop. For trusted code only.',
  },
  worker: {
    kind: 'worker',
    available: true,
    syncHooks: false,
    enforcedTimeouts: true,
    memoryLimit: true,
    fsIsolation: false,
    networkIsolation: false,
    hotReload: true,
    securityBoundary: false,
    notes: 'A worker thread: contains crashes, loops and memory blow-ups; not a security boundary.',
  },
  process: {
    kind: 'process',
    available: true,
    syncHooks: false,
    enforcedTimeouts: true,
    memoryLimit: true,
    fsIsolation: true,
    networkIsolation: false,
    hotReload: true,
    securityBoundary: true,
    notes:
      "A child process with a scrubbed environment. Node plugins run under Node's permission model (files and processes; no network control before Node 25). With `command`, any executable (Python, Go, Bash…) speaking the plugin protocol on stdio (docs/protocol.md): OS-level file isolation and limits.memory_mb apply only to Node plugins, so for other programs ctx is the only checked path — it still cannot reach the host's secrets, and it can be killed on its own.",
  },
  webhook: {
    kind: 'webhook',
    available: true,
    syncHooks: false,
    enforcedTimeouts: true,
    memoryLimit: false,
    fsIsolation: true,
    networkIsolation: true,
    hotReload: false,
    securityBoundary: true,
    notes:
      'No code on this machine: each call is a POST to webhook.url, signed with HMAC-SHA256 and a per-plugin secret (<data-dir>/secrets/<id>.key), with a deadline and a response size cap. The service reaches nothing of the host (no ctx: config, state, files, network, commands); it gets the hooks, events and contributions its manifest declares. Memory and reloads are the service’s own business.',
  },
  lua: {
    kind: 'lua',
    available: true,
    syncHooks: false,
    enforcedTimeouts: true,
    memoryLimit: true,
    fsIsolation: true,
    networkIsolation: true,
    hotReload: true,
    securityBoundary: true,
    notes:
      'Lua 5.4 in WebAssembly (wasmoon), one hardened Lua state per plugin in a shared worker: only base, table, string, math, utf8 and coroutine; a memory cap (limits.memory_mb, default 16); an instruction limit per call; a call past its deadline (a C-level hog) stops the worker. Files, network and commands only through the jovian.* host API.',
  },
};

/**
 * Checks a manifest against its runtime's capabilities. An unavailable runtime is an error; a limit the
 * runtime cannot enforce is a warning (the plugin runs, but the limit is not a guarantee).
 */
export function checkRuntimeCapabilities(manifest: Manifest): Diagnostic[] {
  const caps = RUNTIME_CAPABILITIES[manifest.runtime];
  const problems: Diagnostic[] = [];
  if (!caps.available) {
    const available = Object.values(RUNTIME_CAPABILITIES)
      .filter((c) => c.available)
      .map((c) => c.kind);
    problems.push(
      diagnostic(
        'JOVIAN_E_RUNTIME_UNAVAILABLE',
        `runtime \`${manifest.runtime}\` is not available in this version of Jovian`,
        {
          hint: `use one of: ${available.join(', ')} (runtime: in plugin.yaml)`,
          plugin: manifest.id,
        },
      ),
    );
  }
  if (manifest.limits.memory_mb !== undefined && manifest.command !== undefined) {
    problems.push(
      diagnostic(
        'JOVIAN_E_RUNTIME_UNAVAILABLE',
        'limits.memory_mb is not enforced for a plugin run with `command` (only Node plugins get a heap cap)',
        {
          severity: 'warning',
          hint: "cap the program's memory itself (e.g. Python's resource.setrlimit), or remove limits.memory_mb",
          plugin: manifest.id,
        },
      ),
    );
  }
  if (manifest.limits.memory_mb !== undefined && !caps.memoryLimit) {
    problems.push(
      diagnostic(
        'JOVIAN_E_RUNTIME_UNAVAILABLE',
        `limits.memory_mb is not enforced by runtime \`${manifest.runtime}\``,
        {
          severity: 'warning',
          hint: 'run the plugin in the worker or process runtime to enforce a memory limit',
          plugin: manifest.id,
        },
      ),
    );
  }
  return problems;
}
