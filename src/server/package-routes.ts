import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JovianError } from '../errors.js';
import type { ChatHooks, PluginHost } from '../host/index.js';
import type { InstallOutcome, InstallRequest } from '../packaging/index.js';
import type { ApiInstallAnswer, ApiInstallOutcome } from './api-types.js';
import { sendError } from './http-errors.js';
import { PackageUploads } from './package-uploads.js';
import { serverInstaller } from './server-installer.js';

type Flags = Record<string, unknown>;
type InstallBody = { source?: unknown; upload?: unknown } & Flags;

/**
 * `/api/packages…` and the install actions on `/api/plugins/:id`: install from uploaded bytes, a path,
 * an https URL or a catalog name; update, check for updates, uninstall, roll back. They run the same
 * Installer as the CLI, over the running host (server-installer.ts), so a change serves at once.
 */
export function packageRoutes(server: FastifyInstance, host: PluginHost<ChatHooks>): void {
  const uploads = new PackageUploads(host.config.dataDir);
  // Package bytes reach the route as a stream, written to disk with a cap (package-uploads.ts).
  server.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  server.post<{ Body: InstallBody | NodeJS.ReadableStream | null; Querystring: Flags }>(
    '/api/packages',
    async (request, reply) => {
      let upload: string | undefined;
      try {
        const flags = flagsOf(request);
        let source: string;
        if (isStream(request.body)) {
          const fileName = request.query.filename;
          if (typeof fileName !== 'string') throw badRequest('bytes need ?filename=<name>.tgz (or .zip)');
          const saved = await uploads.save(request.body, fileName);
          upload = saved.reference;
          source = saved.file;
        } else if (typeof request.body?.upload === 'string') {
          upload = request.body.upload;
          source = await uploads.file(upload);
        } else if (typeof request.body?.source === 'string' && request.body.source !== '') {
          source = request.body.source;
        } else throw badRequest('send the package bytes, or JSON { "source" } or { "upload" }');
        const installer = await serverInstaller(host);
        const outcomes = await installer.install(source, flags);
        const answer = answerOf(outcomes, upload);
        if (upload && answer.upload === null) await uploads.remove(upload);
        return answer;
      } catch (error) {
        if (upload) await uploads.remove(upload);
        return sendError(reply, error);
      }
    },
  );

  server.get('/api/packages', async (_request, reply) => {
    try {
      return { installed: await (await serverInstaller(host)).installed() };
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.get('/api/packages/updates', async (_request, reply) => {
    try {
      return { updates: await (await serverInstaller(host)).checkUpdates() };
    } catch (error) {
      return sendError(reply, error);
    }
  });

  server.post<{ Params: { id: string }; Body: Flags | null; Querystring: Flags }>(
    '/api/plugins/:id/update',
    async (request, reply) => {
      try {
        const outcomes = await (await serverInstaller(host)).update(request.params.id, flagsOf(request));
        if (outcomes === 'up-to-date') return { status: 'up-to-date', outcomes: [], upload: null };
        return answerOf(outcomes, undefined);
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  server.delete<{ Params: { id: string }; Querystring: Flags }>(
    '/api/plugins/:id',
    async (request, reply) => {
      try {
        const installer = await serverInstaller(host);
        const result = await installer.uninstall(request.params.id, {
          cascade: isSet(request.query.cascade),
          purge: isSet(request.query.purge),
        });
        return { id: request.params.id, ...result };
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  server.post<{ Params: { id: string } }>('/api/plugins/:id/rollback', async (request, reply) => {
    try {
      const result = await (await serverInstaller(host)).rollback(request.params.id);
      return { id: request.params.id, ...result };
    } catch (error) {
      return sendError(reply, error);
    }
  });
}

/**
 * The flags, from the query string or the JSON body: `consent`, `dry_run`, `allow_downgrade`,
 * `install_deps`, and `hash` (consent holds only for the plan of that package hash, the one shown).
 */
function flagsOf(request: FastifyRequest<{ Body: unknown; Querystring: Flags }>): InstallRequest {
  const body = isStream(request.body) ? {} : ((request.body as Flags | null) ?? {});
  const flag = (name: string) => isSet(request.query[name]) || body[name] === true;
  const hash = request.query.hash ?? body.hash;
  const consent = flag('consent');
  return {
    yes: consent && typeof hash !== 'string',
    consent: consent && typeof hash === 'string' ? async (plan) => plan.hash === hash : undefined,
    dryRun: flag('dry_run'),
    allowDowngrade: flag('allow_downgrade'),
    installDeps: flag('install_deps'),
  };
}

const isSet = (value: unknown) => value === '1' || value === 'true' || value === true;

function isStream(body: unknown): body is NodeJS.ReadableStream {
  return typeof (body as { pipe?: unknown } | null)?.pipe === 'function';
}

function badRequest(message: string): JovianError {
  return new JovianError('JOVIAN_E_SERVER_BAD_REQUEST', message, {
    hint: 'POST /api/packages?filename=<name>.tgz with the bytes as application/octet-stream, or JSON { "source": "<path|https url|catalog name>" } (docs/server.md)',
  });
}

/** The outcomes without the manifests; the upload is kept when a plan waits (consent, dry run). */
function answerOf(outcomes: readonly InstallOutcome[], upload: string | undefined): ApiInstallAnswer {
  const shown: ApiInstallOutcome[] = outcomes.map(({ status, plan }) => {
    const { manifest: _manifest, previous, ...rest } = plan;
    return { status, plan: { ...rest, previous: previous ? { version: previous.version } : null } };
  });
  const waiting = shown.find((o) => o.status === 'needs-consent');
  const status = waiting ? 'needs-consent' : (shown.at(-1)?.status ?? 'unchanged');
  const keep = upload !== undefined && (status === 'needs-consent' || status === 'dry-run');
  return { status, outcomes: shown, upload: keep ? upload : null };
}
