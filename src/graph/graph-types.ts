import type { ErrorCode } from '../errors.js';
import type { DependencySpec, ExtendsSpec, PluginCategory, Severity } from '../types.js';

/** One plugin as the graph sees it: identity, category and declared relations. */
export interface GraphNode {
  readonly id: string;
  readonly version: string;
  readonly category: PluginCategory;
  /** Semver range the host version must satisfy; `*` for core plugins. */
  readonly engines: string;
  readonly dependencies: readonly DependencySpec[];
  readonly extends: readonly ExtendsSpec[];
  /** False when configuration disabled the plugin. */
  readonly enabled: boolean;
  /** True when the plugin is in `error` (invalid manifest, crashed…). */
  readonly failed?: boolean | undefined;
}

export interface GraphInput {
  readonly hostVersion: string;
  readonly nodes: readonly GraphNode[];
}

/** A problem found by the graph, in a plugin's manifest (`pointer` locates it there). */
export interface GraphProblem {
  readonly code: ErrorCode;
  readonly severity: Severity;
  /** The plugin whose manifest holds the problem. */
  readonly plugin: string;
  readonly message: string;
  readonly hint: string;
  /** Path into that plugin's manifest, e.g. `['dependencies', 1, 'id']`. */
  readonly pointer: readonly (string | number)[];
  /** Other plugins involved (the missing one, the cycle's members…). */
  readonly related?: readonly string[] | undefined;
}

export interface NodeStatus {
  readonly state: 'resolved' | 'blocked' | 'disabled';
  /** Why it is blocked or disabled, in one sentence. */
  readonly reason?: string | undefined;
  readonly problems: readonly GraphProblem[];
  /** Optional dependencies that are present, compatible and able to run. */
  readonly optionalAvailable: readonly string[];
}

export interface ResolvedGraph {
  /** Every node: core (input order), then system, then tool; dependencies first within each; ties by id. */
  readonly order: readonly string[];
  readonly status: ReadonlyMap<string, NodeStatus>;
  /** Each cycle as a closed path: `['a', 'b', 'a']`. */
  readonly cycles: readonly (readonly string[])[];
  /** Every problem, sorted by plugin and pointer. */
  readonly problems: readonly GraphProblem[];
}

/** A required edge: `from` needs `to`; `pointer` is where `from` declares it. */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly range: string;
  readonly kind: 'dependency' | 'extends';
  readonly optional: boolean;
  readonly pointer: readonly (string | number)[];
}
