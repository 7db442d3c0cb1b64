import validVersion from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { diagnostic, type ErrorCode, errorToDiagnostic } from '../errors.js';
import type { Diagnostic, Manifest, PluginType } from '../types.js';
import {
  explainSchemaErrors,
  formatPath,
  parseYamlSource,
  type SchemaIssue,
  type YamlPath,
  type YamlSource,
} from '../util/index.js';
import { checkActivationEvent, unreachableActivations } from './activation.js';
import { checkCommandField } from './command-fields.js';
import { withLuaHooksFromMain } from './lua-hooks.js';
import { normaliseContributions, normaliseManifest } from './normalise.js';
import { normalisePermissions } from './permissions.js';
import type { RawManifest } from './schema.js';
import { schemaErrors } from './validator.js';
import { PLUGIN_ID_RE } from './vocabulary.js';
import { checkWebhookFields } from './webhook-fields.js';

/** What is known of a plugin even when its manifest is invalid, so that lists can still show it. */
export interface ManifestIdentity {
  readonly id: string;
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  readonly type?: PluginType | undefined;
}

export interface ParsedManifest {
  /** The normalised manifest; undefined when any diagnostic is an error. */
  readonly manifest: Manifest | undefined;
  readonly identity: ManifestIdentity;
  /** Errors, warnings and notes, each with file:line:column. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseManifestOptions {
  /** The id to show when the manifest has none (usually the folder name). */
  readonly fallbackId: string;
  /** Ids that plugins may not use (those of core plugins). */
  readonly reservedIds?: ReadonlySet<string>;
  /**
   * Reads the `main` file of a `runtime: lua` manifest without `contributes.hooks` (undefined when it
   * cannot be read), so that its hooks are derived from the functions it defines. Without it, such a
   * manifest contributes no hooks.
   */
  readonly readLuaMain?: (main: string) => string | undefined;
}

/**
 * Parses and checks a plugin.yaml: YAML safety (aliases, prototype keys), the schema (unknown fields
 * with "did you mean", types, required fields), then semantics (semver versions and ranges, reserved
 * ids, activation events, duplicates, permission synonyms). Never throws for bad input: every problem
 * is a diagnostic pointing at file:line:column. A `runtime: lua` manifest without `contributes.hooks`
 * gets them from its `main` file (see `readLuaMain`).
 */
export function parseManifest(text: string, file: string, options: ParseManifestOptions): ParsedManifest {
  let source: YamlSource;
  try {
    source = parseYamlSource(text, file);
  } catch (error) {
    return {
      manifest: undefined,
      identity: { id: options.fallbackId },
      diagnostics: [errorToDiagnostic(error)],
    };
  }
  const raw = source.value as Record<string, unknown>;
  const identity = identityOf(raw, options.fallbackId);
  const diagnostics: Diagnostic[] = [];
  const report = (d: Omit<Diagnostic, 'where'>, path: YamlPath, atKey = false): void => {
    diagnostics.push({ ...d, plugin: identity.id, where: source.locate(path, { key: atKey }) });
  };

  const issues = explainSchemaErrors(schemaErrors(raw));
  for (const issue of issues) report(describeIssue(issue), issue.path, issue.atKey);
  if (issues.length > 0) return { manifest: undefined, identity, diagnostics };

  const manifest = withLuaHooksFromMain(raw as unknown as RawManifest, options.readLuaMain);
  checkSemantics(manifest, options, report);
  const permissions = normalisePermissions(manifest.permissions as never, report);
  if (diagnostics.some((d) => d.severity === 'error')) return { manifest: undefined, identity, diagnostics };
  return { manifest: normaliseManifest(manifest, permissions), identity, diagnostics };
}

type Report = (d: Omit<Diagnostic, 'where'>, path: YamlPath, atKey?: boolean) => void;

function checkSemantics(raw: RawManifest, options: ParseManifestOptions, report: Report): void {
  if (options.reservedIds?.has(raw.id)) {
    report(
      diagnostic('JOVIAN_E_MANIFEST_RESERVED_ID', `the id \`${raw.id}\` is reserved for a core plugin`),
      ['id'],
    );
  }
  if (validVersion(raw.version) === null) {
    report(
      diagnostic('JOVIAN_E_MANIFEST_BAD_VERSION', `\`version\` "${raw.version}" is not a semantic version`),
      ['version'],
    );
  }
  checkRange(raw.engines.jovian, ['engines', 'jovian'], report);
  checkCommandField(raw, report);
  checkWebhookFields(raw, report);
  const seenDeps = new Set<string>();
  (raw.dependencies ?? []).forEach((dep, index) => {
    if (dep.version !== undefined) checkRange(dep.version, ['dependencies', index, 'version'], report);
    if (seenDeps.has(dep.id)) {
      report(diagnostic('JOVIAN_E_MANIFEST_INVALID', `dependency \`${dep.id}\` is listed twice`), [
        'dependencies',
        index,
        'id',
      ]);
    }
    seenDeps.add(dep.id);
  });
  (raw.extends ?? []).forEach((ext, index) => {
    if (typeof ext !== 'string' && ext.version !== undefined)
      checkRange(ext.version, ['extends', index, 'version'], report);
  });
  (raw.activation ?? []).forEach((event, index) => {
    const problem = checkActivationEvent(event);
    if (problem) report(problem, ['activation', index]);
  });
  const contributes = normaliseContributions(raw.contributes);
  if (raw.activation) {
    for (const index of unreachableActivations(raw.activation, contributes)) {
      const event = raw.activation[index]!;
      if (checkActivationEvent(event)) continue;
      report(
        diagnostic(
          'JOVIAN_E_MANIFEST_BAD_ACTIVATION',
          `activation event \`${event}\` names nothing this plugin contributes`,
          {
            severity: 'warning',
            hint: 'declare it under contributes, or remove the activation event',
          },
        ),
        ['activation', index],
      );
    }
  }
  reportDuplicates(
    contributes.hooks.map((h) => h.name),
    ['contributes', 'hooks'],
    'hook',
    report,
  );
  reportDuplicates(
    contributes.commands.map((c) => c.name),
    ['contributes', 'commands'],
    'command',
    report,
  );
  reportDuplicates(
    contributes.routes.map((r) => `${r.method} ${r.path}`),
    ['contributes', 'routes'],
    'route',
    report,
  );
  reportDuplicates(
    contributes.ui.panels.map((p) => p.id),
    ['contributes', 'ui', 'panels'],
    'panel',
    report,
  );
}

function checkRange(range: string, path: YamlPath, report: Report): void {
  if (validRange(range) === null) {
    report(
      diagnostic(
        'JOVIAN_E_MANIFEST_BAD_RANGE',
        `\`${formatPath(path)}\` "${range}" is not a valid semver range`,
      ),
      path,
    );
  }
}

function reportDuplicates(names: readonly string[], path: YamlPath, what: string, report: Report): void {
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) {
      report(diagnostic('JOVIAN_E_MANIFEST_INVALID', `${what} \`${name}\` is declared twice`), [
        ...path,
        index,
      ]);
    }
    seen.add(name);
  });
}

function describeIssue(issue: SchemaIssue): Omit<Diagnostic, 'where'> {
  const field = formatPath(issue.path);
  if (issue.kind === 'unknown') {
    return diagnostic(
      'JOVIAN_E_MANIFEST_UNKNOWN_FIELD',
      `unknown field \`${field}\`${issue.suggestion ? `; did you mean \`${issue.suggestion}\`?` : ''}`,
      {
        hint: issue.suggestion
          ? `rename it to \`${issue.suggestion}\``
          : 'remove it; schema/plugin.schema.json lists every known field',
      },
    );
  }
  if (issue.kind === 'missing') {
    return diagnostic('JOVIAN_E_MANIFEST_MISSING_FIELD', `missing required field \`${field}\``);
  }
  const code: ErrorCode =
    field === 'id' && issue.keyword === 'pattern' ? 'JOVIAN_E_MANIFEST_BAD_ID' : 'JOVIAN_E_MANIFEST_INVALID';
  const rule =
    code === 'JOVIAN_E_MANIFEST_BAD_ID'
      ? 'must be 2–64 lowercase letters, digits, `_` or `-`, starting with a letter'
      : issue.rule;
  return diagnostic(code, `\`${field}\` ${rule}`);
}

function identityOf(raw: Record<string, unknown>, fallbackId: string): ManifestIdentity {
  const id = typeof raw.id === 'string' && PLUGIN_ID_RE.test(raw.id) ? raw.id : fallbackId;
  return {
    id,
    name: typeof raw.name === 'string' ? raw.name : undefined,
    version: typeof raw.version === 'string' ? raw.version : undefined,
    type: raw.type === 'system' || raw.type === 'tool' ? raw.type : undefined,
  };
}
