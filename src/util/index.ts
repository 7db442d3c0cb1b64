export { type AtomicWriteOptions, syncDirectory, writeFileAtomic } from './atomic-write.js';
export { elapsedMs, withDeadline } from './deadline.js';
export { createDeferred, type Deferred } from './deferred.js';
export { closestMatch, didYouMean } from './did-you-mean.js';
export { type Disposable, DisposableStore, toDisposable } from './disposable.js';
export { type CompiledSchema, type CompileOptions, compileJsonSchema } from './json-schema.js';
export { markdownCell, markdownCode, markdownTable } from './markdown-table.js';
export { explainSchemaErrors, formatPath, pointerToPath, type SchemaIssue } from './schema-issues.js';
export {
  MAX_ALIAS_COUNT,
  type ParseYamlOptions,
  parseYamlSource,
  type YamlPath,
  type YamlSource,
} from './yaml-source.js';
