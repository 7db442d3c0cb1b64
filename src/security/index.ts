export { type AccessDecision, permissionDenied } from './access-decision.js';
export { decideCommand } from './command-decisions.js';
export { decideFsAccess, type FsRoots, grantPath, isPathInside } from './fs-decisions.js';
export {
  decideNetwork,
  formatNetworkTarget,
  isExplicitlyGranted,
  type NetworkTarget,
  networkTargetOf,
} from './network-decisions.js';
export { isPrivateAddress } from './private-address.js';
