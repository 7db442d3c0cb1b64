/**
 * The `jovian` executable. Output is written before the exit code is set, and the process is left to
 * end on its own so that nothing buffered is lost.
 */
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
