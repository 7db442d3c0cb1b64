import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { JovianError } from '../../errors.js';
import type {
  ApiAvailableUpdates,
  ApiInstallAnswer,
  ApiInstallPlan,
  ApiRollbackResult,
  ApiUninstallResult,
} from '../../server/index.js';
import type { ServerApi } from '../server-api.js';

/** The install flags the API takes. */
export interface ServerInstallFlags {
  readonly yes?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
  readonly allowDowngrade?: boolean | undefined;
  readonly installDeps?: boolean | undefined;
  readonly catalog?: string | undefined;
  readonly trustStore?: string | undefined;
}

/** Asks the user about a plan held for consent; undefined: nobody to ask (no terminal, --json). */
export type AskConsent = ((plan: ApiInstallPlan) => Promise<boolean>) | undefined;

/**
 * Installs, updates, uninstalls and rolls back through the `jovian serve` running over the data
 * directory, so that its host takes the change in at once. A plan held for consent is shown and asked
 * about, then sent again with consent for that package hash only.
 */
export class ServerInstallClient {
  readonly #server: ServerApi;

  constructor(server: ServerApi) {
    this.#server = server;
  }

  get url(): string {
    return this.#server.url;
  }

  /** A path on this machine goes as an absolute path (the server runs here); URLs and names as given. */
  async install(source: string, flags: ServerInstallFlags, ask: AskConsent): Promise<ApiInstallAnswer> {
    refuseLocalOnly(flags);
    const local = await stat(source).then(
      () => true,
      () => false,
    );
    return this.#withConsent('/api/packages', { source: local ? resolve(source) : source }, flags, ask);
  }

  update(id: string, flags: ServerInstallFlags, ask: AskConsent): Promise<ApiInstallAnswer> {
    refuseLocalOnly(flags);
    return this.#withConsent(`/api/plugins/${encodeURIComponent(id)}/update`, {}, flags, ask);
  }

  checkUpdates(flags: ServerInstallFlags): Promise<ApiAvailableUpdates> {
    refuseLocalOnly(flags);
    return this.#server.request('GET', '/api/packages/updates');
  }

  uninstall(id: string, flags: { cascade?: boolean; purge?: boolean }): Promise<ApiUninstallResult> {
    const query = [flags.cascade ? 'cascade=1' : '', flags.purge ? 'purge=1' : ''].filter(Boolean).join('&');
    return this.#server.request(
      'DELETE',
      `/api/plugins/${encodeURIComponent(id)}${query ? `?${query}` : ''}`,
    );
  }

  rollback(id: string): Promise<ApiRollbackResult> {
    return this.#server.request('POST', `/api/plugins/${encodeURIComponent(id)}/rollback`, {});
  }

  async #withConsent(
    path: string,
    body: Record<string, unknown>,
    flags: ServerInstallFlags,
    ask: AskConsent,
  ): Promise<ApiInstallAnswer> {
    const request = {
      ...body,
      consent: flags.yes === true,
      dry_run: flags.dryRun === true,
      allow_downgrade: flags.allowDowngrade === true,
      install_deps: flags.installDeps === true,
    };
    let answer = await this.#server.request<ApiInstallAnswer>('POST', path, request);
    // Each round accepts one held plan (with --install-deps, a dependency may be held before the plugin).
    const accepted = new Set<string>();
    while (answer.status === 'needs-consent' && ask) {
      const held = answer.outcomes.find((o) => o.status === 'needs-consent')!.plan;
      if (accepted.has(held.hash) || !(await ask(held))) break;
      accepted.add(held.hash);
      answer = await this.#server.request<ApiInstallAnswer>('POST', path, {
        ...request,
        consent: true,
        hash: held.hash,
      });
    }
    return answer;
  }
}

/** The server installs with its own jovian.yaml settings: a catalog or trust store of this command line would be ignored. */
function refuseLocalOnly(flags: ServerInstallFlags): void {
  if (flags.catalog === undefined && flags.trustStore === undefined) return;
  throw new JovianError(
    'JOVIAN_E_CLI_USAGE',
    '--catalog and --trust-store cannot be used while `jovian serve` runs over this data directory: it installs with its own settings',
    {
      hint: 'set `packages.catalog` in jovian.yaml (the trust store is <data-dir>/allowed_signers), or stop the server',
    },
  );
}
