import { readFileSync } from 'node:fs';
import { describeLegacySource, manifestFromLegacy } from '../../manifest/index.js';
import type { Manifest } from '../../types.js';
import { CORE_PLUGIN_IDS } from '../core-plugins.js';
import type { PluginRecord } from '../plugin-record.js';

/**
 * A record's manifest; for a legacy plugin the host did not import (the isolation policy refused it
 * in-process), the manifest its module's source text describes — read, never run — so that docs and
 * reports still tell its name, version, permissions and hooks.
 */
export function manifestOf(record: PluginRecord): Manifest | undefined {
  if (record.manifest || record.kind !== 'legacy') return record.manifest;
  let source: string;
  try {
    source = readFileSync(record.file, 'utf8');
  } catch {
    return undefined;
  }
  const description = describeLegacySource(source);
  return description
    ? manifestFromLegacy(description, record.dir, record.file, CORE_PLUGIN_IDS).manifest
    : undefined;
}
