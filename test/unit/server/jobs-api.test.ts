/**
 * `/api/jobs` through `inject()`: submitting, listing, showing, cancelling and exporting jobs, the
 * refusals in the API's error shape, and every answer checked against the schema /api/docs publishes.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatHooks, PluginHost } from '../../../src/index.js';
import { API_SCHEMAS, type ApiJob, createServer, type JovianServer } from '../../../src/server/index.js';
import { startChatHost } from '../../helpers/chat-host.js';
import { createFixture, type Fixture } from '../../helpers/plugin-fixtures.js';

const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const validJob = ajv.compile(API_SCHEMAS.ApiJob);

describe('the jobs API', () => {
  let fixture: Fixture;
  let host: PluginHost<ChatHooks>;
  let server: JovianServer;
  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) => {
    const answer = await server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${server.token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return {
      status: answer.statusCode,
      body: answer.body,
      json: () => answer.json() as Record<string, unknown>,
    };
  };
  const until = async (id: string, state: string) => {
    for (let i = 0; i < 1000; i++) {
      const job = (await call('GET', `/api/jobs/${id}`)).json() as unknown as ApiJob;
      if (job.state === state) return job;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`job ${id} never became ${state}`);
  };

  beforeAll(async () => {
    fixture = await createFixture();
    await fixture.add('slow', {
      manifest: {
        contributes: {
          jobs: {
            handlers: [
              { name: 'wait', description: 'Waits until cancelled.' },
              {
                name: 'echo',
                params: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
              },
            ],
          },
        },
      },
      code: `export default { async activate(ctx) {
        await ctx.jobs.register('wait', (params, job) => new Promise((resolve, reject) => {
          job.updateProgress(10, 'waiting');
          job.signal.addEventListener('abort', () => reject(job.signal.reason));
        }));
        await ctx.jobs.register('echo', (params) => params.text);
      } };`,
    });
    host = await startChatHost(fixture);
    server = await createServer({ host });
  });
  afterAll(async () => {
    await server?.app.close();
    await host?.stop();
    await fixture?.cleanup();
  });

  it('should submit a declared job, show it and list it, each answer fitting ApiJob', async () => {
    const submitted = await call('POST', '/api/jobs', {
      plugin: 'slow',
      name: 'echo',
      params: { text: 'hi' },
    });
    expect(submitted.status).toBe(200);
    const job = submitted.json() as unknown as ApiJob;
    expect(validJob(job)).toBe(true);
    const done = await until(job.id, 'completed');
    expect(done).toMatchObject({
      plugin: 'slow',
      name: 'echo',
      result: 'hi',
      submittedBy: 'api',
      progress: 100,
    });
    expect(validJob(done)).toBe(true);
    const list = (await call('GET', '/api/jobs?plugin=slow&state=completed')).json();
    expect(ajv.validate(API_SCHEMAS.ApiJobList, list)).toBe(true);
    expect((list.jobs as ApiJob[]).map((j) => j.id)).toContain(job.id);
    const exported = await call('GET', '/api/jobs/export?plugin=slow');
    expect(
      exported.body
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toContain(job.id);
  });

  it('should cancel a running job, then refuse to cancel it again', async () => {
    const job = (
      await call('POST', '/api/jobs', { plugin: 'slow', name: 'wait' })
    ).json() as unknown as ApiJob;
    await until(job.id, 'running');
    expect((await call('DELETE', `/api/jobs/${job.id}`)).status).toBe(200);
    expect((await until(job.id, 'cancelled')).error?.code).toBe('JOVIAN_E_CANCELLED');
    const again = await call('DELETE', `/api/jobs/${job.id}`);
    expect(again.status).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'JOVIAN_E_JOB_FINISHED' });
  });

  it('should refuse bad submissions with a code, a status and a hint', async () => {
    const cases: [unknown, number, string][] = [
      [{ plugin: 'slow' }, 400, 'JOVIAN_E_SERVER_BAD_REQUEST'],
      [{ plugin: 'slow', name: 'nope' }, 404, 'JOVIAN_E_JOB_UNDECLARED'],
      [{ plugin: 'ghost', name: 'wait' }, 404, 'JOVIAN_E_PLUGIN_NOT_FOUND'],
      [{ plugin: 'slow', name: 'echo', params: { text: 3 } }, 400, 'JOVIAN_E_JOB_PARAMS_INVALID'],
    ];
    for (const [body, status, code] of cases) {
      const answer = await call('POST', '/api/jobs', body);
      expect([answer.status, (answer.json().error as { code: string }).code]).toEqual([status, code]);
      expect((answer.json().error as { hint: string | null }).hint).toBeTruthy();
    }
    expect((await call('GET', '/api/jobs/ffffffffffff')).status).toBe(404);
    expect((await call('GET', '/api/jobs?state=sleeping')).status).toBe(400);
  });
});
