/** Exit codes of the `jovian` command (docs/cli.md lists them; scripts rely on them). */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** The operation failed: a plugin failed, doctor found errors, a call timed out… */
  FAILURE: 1,
  /** The command line is wrong: unknown command or option, missing argument, malformed JSON. */
  USAGE: 2,
  /** No such plugin, command or config key. */
  NOT_FOUND: 3,
  /** Input rejected by a schema: run input, config value. */
  INVALID_INPUT: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_CODE: Readonly<Record<string, ExitCode>> = {
  JOVIAN_E_CLI_USAGE: EXIT.USAGE,
  JOVIAN_E_CLI_BAD_JSON: EXIT.USAGE,
  JOVIAN_E_LOG_LEVEL_INVALID: EXIT.USAGE,
  JOVIAN_E_SCAFFOLD_BAD_ID: EXIT.USAGE,
  JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED: EXIT.USAGE,
  JOVIAN_E_PLUGIN_NOT_FOUND: EXIT.NOT_FOUND,
  JOVIAN_E_COMMAND_UNKNOWN: EXIT.NOT_FOUND,
  JOVIAN_E_RUN_INPUT_INVALID: EXIT.INVALID_INPUT,
  JOVIAN_E_CONFIG_INVALID: EXIT.INVALID_INPUT,
  JOVIAN_E_CONFIG_UNKNOWN_KEY: EXIT.INVALID_INPUT,
};

/** The exit code for an error code. */
export function exitCodeFor(code: string): ExitCode {
  return BY_CODE[code] ?? EXIT.FAILURE;
}
