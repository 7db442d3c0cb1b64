import type { FastifyReply } from 'fastify';
import { errorToData } from '../errors.js';

/** HTTP status of an error code; anything unlisted is a 500. */
const STATUS: Readonly<Record<string, number>> = {
  JOVIAN_E_SERVER_UNAUTHORIZED: 401,
  JOVIAN_E_SERVER_ORIGIN_REFUSED: 403,
  JOVIAN_E_CORE_PLUGIN_LOCKED: 403,
  JOVIAN_E_RELOAD_REFUSED: 409,
  JOVIAN_E_PLUGIN_UNAVAILABLE: 409,
  JOVIAN_E_CIRCUIT_OPEN: 409,
  JOVIAN_E_PLUGIN_SUSPENDED: 409,
  JOVIAN_E_PLUGIN_NOT_FOUND: 404,
  JOVIAN_E_SERVER_NOT_FOUND: 404,
  JOVIAN_E_CONTRIBUTION_UNDECLARED: 404,
  JOVIAN_E_SERVER_BAD_REQUEST: 400,
  JOVIAN_E_LOG_LEVEL_INVALID: 400,
  JOVIAN_E_CONFIG_INVALID: 400,
  JOVIAN_E_CONFIG_UNKNOWN_KEY: 400,
  JOVIAN_E_CALL_TIMEOUT: 504,
  JOVIAN_E_JOB_NOT_FOUND: 404,
  JOVIAN_E_JOB_UNDECLARED: 404,
  JOVIAN_E_JOB_PARAMS_INVALID: 400,
  JOVIAN_E_JOB_FINISHED: 409,
  JOVIAN_E_HOST_NOT_STARTED: 409,
};

/** Sends an error as `{ error: { code, message, hint?, where? } }` with the status its code implies. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const data = errorToData(error);
  const status = STATUS[data.code] ?? 500;
  return reply.code(status).send({
    error: { code: data.code, message: data.message, hint: data.hint ?? null, where: data.where ?? null },
  });
}
