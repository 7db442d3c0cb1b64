export {
  SCAFFOLD_RUNTIMES,
  SCAFFOLD_TYPES,
  type ScaffoldOptions,
  type ScaffoldResult,
  scaffoldPlugin,
} from './scaffold.js';
