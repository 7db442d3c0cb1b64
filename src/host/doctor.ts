import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnostic } from '../errors.js';
import type { HookMap } from '../hooks/index.js';
import { locateInManifest } from '../manifest/index.js';
import { checkLuaSyntax } from '../runtimes/index.js';
import { raisedNote } from '../security/index.js';
import type { Diagnostic } from '../types.js';
import type { PluginHost } from './plugin-host.js';
import { type PluginSummary, summarize } from './plugin-info.js';

/** `jovian plugins doctor --json`. `ok` is false when any diagnostic is an error. */
export interface DoctorReport {
  readonly ok: boolean;
  readonly summary: {
    readonly plugins: number;
    readonly errors: number;
    readonly warnings: number;
    readonly infos: number;
  };
  /** Errors first, then warnings, then notes; each group by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  readonly plugins: readonly PluginSummary[];
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * Checks everything that can be checked without running plugin code: every manifest, the config files,
 * every plugin's config against its schema, entry files, the dependency graph (cycles, missing and
 * incompatible dependencies, host range) — each problem at file:line:column.
 */
export async function runDoctor<H extends HookMap>(host: PluginHost<H>): Promise<DoctorReport> {
  await host.load();
  const found: Diagnostic[] = [...host.hostDiagnostics];
  const plugins = host.records().filter((r) => r.category !== 'core');
  for (const record of plugins) {
    found.push(...record.diagnostics);
    const manifest = record.manifest;
    if (manifest && record.declaredRuntime)
      found.push(raisedNote(record.id, record.declaredRuntime, manifest.runtime, record.trust));
    if (!manifest || record.kind !== 'manifest') continue;
    // A webhook plugin has no code here: its `main`, if any, is not loaded.
    if (manifest.runtime !== 'webhook' && !isFile(resolve(record.dir, manifest.main))) {
      found.push({
        ...diagnostic(
          'JOVIAN_E_MANIFEST_MAIN_MISSING',
          `entry file \`${manifest.main}\` of plugin \`${record.id}\` does not exist`,
          { plugin: record.id },
        ),
        where: locateInManifest(record.file, ['main']),
      });
    }
    if (manifest.runtime === 'lua')
      found.push(...(await luaSyntaxProblems(record.id, resolve(record.dir, manifest.main))));
    if (record.state !== 'disabled') found.push(...(await host.plugins.stores.check(record)));
  }
  for (const problem of host.graphProblems) {
    const record = host.record(problem.plugin);
    found.push({
      code: problem.code,
      severity: problem.severity,
      message: problem.message,
      hint: problem.hint,
      plugin: problem.plugin,
      where:
        record && record.kind === 'manifest' ? locateInManifest(record.file, problem.pointer) : undefined,
    });
  }
  const diagnostics = dedupe(found).sort(compareDiagnostics);
  const count = (severity: Diagnostic['severity']) =>
    diagnostics.filter((d) => d.severity === severity).length;
  return {
    ok: count('error') === 0,
    summary: {
      plugins: plugins.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
    },
    diagnostics,
    plugins: plugins.map(summarize),
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}|${d.message}|${d.where?.file}:${d.where?.line}:${d.where?.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.where?.file ?? '').localeCompare(b.where?.file ?? '') ||
    (a.where?.line ?? 0) - (b.where?.line ?? 0) ||
    (a.where?.column ?? 0) - (b.where?.column ?? 0) ||
    a.message.localeCompare(b.message)
  );
}

/** A Lua plugin's source compiled (not run): a syntax error at its file and line. */
async function luaSyntaxProblems(id: string, file: string): Promise<Diagnostic[]> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    return []; // a missing entry file is reported above
  }
  const problem = await checkLuaSyntax(source, file);
  if (!problem) return [];
  return [
    diagnostic('JOVIAN_E_LUA_SYNTAX', `plugin \`${id}\`: ${problem.message}`, {
      plugin: id,
      where: { file: problem.file, line: problem.line, column: 1 },
    }),
  ];
}
