import { dataDirLayout } from '../../config/index.js';
import { isJovianError, JovianError } from '../../errors.js';
import { defaultDataDir } from '../../host/index.js';
import {
  followPluginLog,
  isLogLevel,
  LOG_LEVELS,
  type LogFilter,
  type LogLine,
  matchesFilter,
  pluginLogFiles,
  readPluginLog,
} from '../../observability/index.js';
import type { ApiLogLevelState } from '../../server/index.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { style } from '../output/style.js';
import { runningServer } from '../server-api.js';

export interface LogsOptions {
  readonly follow?: boolean;
  readonly level?: string;
  readonly grep?: string;
  readonly tail?: string;
  readonly setLevel?: string;
  readonly debugFor?: string;
  readonly json?: boolean;
}

/**
 * `jovian logs <id>`: the plugin's lines from its log files (<data-dir>/logs/plugins/<id>.log and its
 * rotated files), without a running host; `--follow` then prints new lines as they are written, across
 * rotations, until interrupted. `--set-level` and `--debug-for` change the level in the running host
 * (`jovian serve` on the same data directory).
 */
export async function showLogs(ctx: CliContext, id: string, options: LogsOptions): Promise<ExitCode> {
  const dataDir = ctx.options.dataDir ?? defaultDataDir();
  if (options.setLevel !== undefined || options.debugFor !== undefined)
    return changeLevel(ctx, dataDir, id, options);
  const filter = parseFilter(options);
  const dir = dataDirLayout(dataDir).pluginLogsDir;
  if ((await pluginLogFiles(dir, id)).length === 0) {
    // No file yet: fine for a known plugin that has not logged; an unknown id is an error.
    const host = ctx.host();
    await host.load();
    host.require(id);
  }
  const print = (line: LogLine) => {
    if (options.json) ctx.json(line);
    else ctx.line(render(line));
  };
  const printPast = async () => {
    for (const line of await readPluginLog(dir, id, filter)) print(line);
  };
  if (!options.follow) {
    await printPast();
    return EXIT.OK;
  }
  const stop = new AbortController();
  const end = () => stop.abort();
  process.once('SIGINT', end);
  process.once('SIGTERM', end);
  try {
    await followPluginLog(dir, id, (line) => matchesFilter(line, filter) && print(line), stop.signal, {
      onReady: printPast,
    });
  } finally {
    process.off('SIGINT', end);
    process.off('SIGTERM', end);
  }
  return EXIT.OK;
}

function parseFilter(options: LogsOptions): LogFilter {
  if (options.level !== undefined && !isLogLevel(options.level))
    throw new JovianError('JOVIAN_E_LOG_LEVEL_INVALID', `--level \`${options.level}\` is not a log level`, {
      hint: `use one of ${LOG_LEVELS.join(', ')}`,
    });
  const tail = options.tail === undefined ? 100 : Number(options.tail);
  if (!Number.isInteger(tail) || tail < 0)
    throw new JovianError('JOVIAN_E_CLI_USAGE', `--tail \`${options.tail}\` is not a number of lines`, {
      hint: 'e.g. --tail 50 (0 prints no past line, with --follow only new ones)',
    });
  return { level: options.level as LogFilter['level'], text: options.grep, tail };
}

function render(line: LogLine): string {
  const colour = { debug: style.dim, info: (s: string) => s, warn: style.yellow, error: style.red }[
    line.level
  ];
  const data = line.data === undefined ? '' : ` ${JSON.stringify(line.data)}`;
  return `${new Date(line.at).toISOString()} ${colour(line.level.toUpperCase().padEnd(5))} [plugin:${line.plugin}] ${line.message}${data}`;
}

/** `10m`, `30s`, `1h`, `500ms` → milliseconds. @throws JOVIAN_E_LOG_LEVEL_INVALID */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match?.[2] ?? ''];
  if (!match || unit === undefined || Number(match[1]) === 0)
    throw new JovianError('JOVIAN_E_LOG_LEVEL_INVALID', `--debug-for \`${text}\` is not a duration`, {
      hint: 'give a number with a unit: 30s, 10m, 1h (0 is not allowed; `--debug-for off` ends a debug period)',
    });
  return Number(match[1]) * unit;
}

async function changeLevel(
  ctx: CliContext,
  dataDir: string,
  id: string,
  options: LogsOptions,
): Promise<ExitCode> {
  const body: Record<string, unknown> = {};
  if (options.setLevel !== undefined) {
    if (options.setLevel !== 'global' && !isLogLevel(options.setLevel))
      throw new JovianError(
        'JOVIAN_E_LOG_LEVEL_INVALID',
        `--set-level \`${options.setLevel}\` is not a log level`,
        {
          hint: `use one of ${LOG_LEVELS.join(', ')}, or \`global\` to follow the global level`,
        },
      );
    body.level = options.setLevel === 'global' ? null : options.setLevel;
  }
  if (options.debugFor !== undefined)
    body.debug_for_ms = options.debugFor === 'off' ? 0 : parseDuration(options.debugFor);
  const notRunning = (why: string) =>
    new JovianError('JOVIAN_E_LOGS_HOST_NOT_RUNNING', `no running host serves ${dataDir}: ${why}`);
  const server = await runningServer(dataDir);
  if (!server) throw notRunning('`jovian serve` is not running');
  const answer = await server
    .request<ApiLogLevelState>('PUT', `/api/plugins/${encodeURIComponent(id)}/logs/level`, body)
    .catch((error: unknown) => {
      if (isJovianError(error) && error.code === 'JOVIAN_E_SERVER_UNREACHABLE')
        throw notRunning(`${server.url} does not answer`);
      throw error;
    });
  if (options.json) ctx.json(answer);
  else
    ctx.line(
      `${id}: level ${answer.level ?? `${answer.floor} (global)`}, logging at ${answer.effective}` +
        (answer.debugUntil ? ` until ${answer.debugUntil}, then back to its level` : ''),
    );
  return EXIT.OK;
}
