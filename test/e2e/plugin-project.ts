import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli-helpers.js';
import type { ServeProcess } from './serve-process.js';

/** A fresh project folder with jovian installed, as `npm install jovian` leaves it. */
export async function projectWithJovian(prefix: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(root, 'node_modules'));
  await symlink(ROOT, join(root, 'node_modules', 'jovian'), 'dir');
  return root;
}

/** `node <args>` in `cwd`: exit code and output. */
export function runNode(
  args: readonly string[],
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** `node --test test/` in a plugin folder, as its author runs its tests. */
export const nodeTest = (cwd: string) => runNode(['--test', 'test/'], cwd);

/** GET on a running server's API with its token; throws with the answer when refused. */
export async function apiGet<T>(serve: ServeProcess, path: string): Promise<T> {
  const response = await fetch(`${serve.base}${path}`, {
    headers: { authorization: `Bearer ${serve.token}` },
  });
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** Any call on a running server's API with its token (JSON body when given): the status and the JSON answer. */
export async function apiCall<T>(
  serve: ServeProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${serve.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${serve.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}
