export { type AccessDecision, permissionDenied } from './access-decision.js';
export { decideCommand } from './command-decisions.js';
export { decideFsAccess, type FsRoots, grantPath, isInside } from './fs-decisions.js';
export { decideNetwork, hostPortOf, isPrivateAddress, namesExplicitly } from './network-decisions.js';
