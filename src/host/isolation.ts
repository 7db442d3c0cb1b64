import type { GlobalConfig } from '../config/index.js';
import { DEFAULT_ISOLATION_POLICY, type IsolationPolicy } from '../security/index.js';
import type { HostOptions } from './host-options.js';

/** The policy in force: the default, then the application's options, then jovian.yaml, key by key. */
export function isolationPolicy(
  options: HostOptions['isolation'],
  file: GlobalConfig['security']['isolation'] | undefined,
): IsolationPolicy {
  return {
    floor: { ...DEFAULT_ISOLATION_POLICY.floor, ...options?.floor, ...file?.floor },
    allow: [...new Set([...(options?.allow ?? []), ...(file?.allow ?? [])])],
  };
}
