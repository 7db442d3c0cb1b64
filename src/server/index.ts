export { API_SCHEMAS, type ApiSchemaName } from './api-schemas.js';
export type * from './api-types.js';
export { TOKEN_COOKIE } from './auth.js';
export { createServer, type JovianServer, type ServerOptions } from './create-server.js';
export { readServerAddress, type ServerAddress } from './server-address.js';
export { announceServer, loadOrCreateToken, serverFile, tokenFile } from './server-token.js';
