export { BUILT_IN_COMMANDS, CliContext, type GlobalOptions, type Io } from './cli-context.js';
export { EXIT, type ExitCode, exitCodeFor } from './exit-codes.js';
export { firstCommand, runCli } from './program.js';
