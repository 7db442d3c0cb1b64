/** The only variables a plugin process inherits: never the host's secrets (tokens, keys, credentials). */
const KEPT = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT'] as const;

export function scrubbedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of KEPT) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}
