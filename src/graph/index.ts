export { findCycles } from './cycles.js';
export type { Edge, GraphInput, GraphNode, GraphProblem, NodeStatus, ResolvedGraph } from './graph-types.js';
export { dependenciesOf, dependentsOf } from './queries.js';
export { renderMermaid, renderTree } from './render.js';
export { edgesOf, resolveGraph } from './resolve-graph.js';
