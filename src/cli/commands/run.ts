import { JovianError } from '../../errors.js';
import type { CliContext } from '../cli-context.js';
import { EXIT, type ExitCode } from '../exit-codes.js';

/**
 * `jovian run <id> --input '<json>'`: validates the input against the plugin's `inputs` schema, calls
 * run() and prints the JSON result. Failures print `{"error": "...", "code": "..."}` and exit non-zero.
 */
export async function runPlugin(ctx: CliContext, id: string, options: { input?: string }): Promise<ExitCode> {
  let input: unknown = {};
  if (options.input !== undefined) {
    try {
      input = JSON.parse(options.input);
    } catch (error) {
      return ctx.fail(
        new JovianError('JOVIAN_E_CLI_BAD_JSON', `--input is not valid JSON: ${(error as Error).message}`),
        true,
      );
    }
  }
  try {
    const host = ctx.host();
    await host.start();
    const result = await host.run(id, input);
    ctx.json(result === undefined ? null : result);
    return EXIT.OK;
  } catch (error) {
    return ctx.fail(error, true);
  }
}
