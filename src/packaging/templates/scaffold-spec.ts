/** What a scaffold is made from: options normalised once, read by every template. */
export interface ScaffoldSpec {
  readonly id: string;
  readonly type: 'system' | 'tool';
  readonly runtime: 'inprocess' | 'worker' | 'process' | 'lua';
  readonly ui: boolean;
  readonly cli: boolean;
  /** The command `jovian <command>` runs: the id with `_` turned into `-`, then `:hello`. */
  readonly command: string;
  /** Path of schema/plugin.schema.json relative to the plugin folder, or a package specifier. */
  readonly schemaRef: string;
  /** The Jovian version range written to engines.jovian. */
  readonly engines: string;
}

/** A generated file: its path inside the plugin folder and its content. */
export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

/** The route every JavaScript scaffold serves, under `/api/x/<id>`. */
export const HELLO_ROUTE = '/hello';
