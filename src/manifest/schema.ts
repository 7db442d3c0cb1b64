/**
 * The plugin.yaml schema, written once. `npm run schema` turns it into schema/plugin.schema.json (for
 * editors) and src/manifest/generated/manifest-validator.ts (a precompiled Ajv validator, so checking a
 * manifest costs no schema compilation at start-up); `npm run schema:check` fails when either is stale.
 * This module is used at build time and for types only: runtime code imports the generated validator.
 */
import Type, { type Static } from 'typebox';
import {
  COMMAND_PATTERN,
  NAME_PATTERN,
  PLUGIN_ID_PATTERN,
  ROUTE_PATTERN,
  TOPIC_PATTERN,
} from './vocabulary.js';

const PluginId = Type.String({
  pattern: PLUGIN_ID_PATTERN,
  description: 'Plugin id: 2–64 lowercase letters, digits, `_` or `-`, starting with a letter.',
});
const Text = (description: string) => Type.String({ description });

const Grant = Type.Union([Type.Boolean(), Type.Array(Type.String({ pattern: '\\S' }))], {
  description: '`false` (default), `true`, or a list of allowed paths / commands / `host[:port]` patterns.',
});

const PermissionsObject = Type.Object(
  {
    fs_read: Type.Optional(Grant),
    fs_write: Type.Optional(Grant),
    run_commands: Type.Optional(Grant),
    network_outbound: Type.Optional(Grant),
    net: Type.Optional(Grant),
    network: Type.Optional(Grant),
    filesystem: Type.Optional(Grant),
    process: Type.Optional(Grant),
  },
  { additionalProperties: false },
);
const PermissionWord = Type.Enum(
  ['fs_read', 'fs_write', 'run_commands', 'network_outbound', 'net', 'network', 'filesystem', 'process'],
  {},
);

const HookTap = Type.Union([
  Type.String({ pattern: NAME_PATTERN }),
  Type.Object(
    {
      name: Type.String({ pattern: NAME_PATTERN, description: 'The hook tapped.' }),
      stage: Type.Optional(Type.Number({ description: 'Lower stages run first; default 0.' })),
      before: Type.Optional(
        Type.Union([Type.String(), Type.Array(Type.String())], {
          description: 'Taps (plugin ids) to run before.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
]);

const Command = Type.Object(
  {
    name: Type.String({ pattern: COMMAND_PATTERN, description: 'Command name.' }),
    description: Type.Optional(Text('One line shown in `jovian --help`.')),
  },
  { additionalProperties: false },
);

const Route = Type.Object(
  {
    method: Type.Optional(
      Type.Enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], { description: 'Default GET.' }),
    ),
    path: Type.String({ pattern: ROUTE_PATTERN, description: 'Relative to /api/x/<id>.' }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Panel = Type.Object(
  {
    id: Type.String({ pattern: NAME_PATTERN }),
    title_key: Type.Optional(Text('i18n key of the tab title, `plugin.<id>.…`.')),
    mount_point: Type.Optional(Text('Where it mounts; default `main_area`.')),
    route: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const Widget = Type.Object(
  { id: Type.String({ pattern: NAME_PATTERN }), mount_point: Type.String() },
  { additionalProperties: false },
);

const Contributes = Type.Object(
  {
    hooks: Type.Optional(Type.Array(HookTap, { description: 'Hooks this plugin taps.' })),
    commands: Type.Optional(Type.Array(Command, { description: 'CLI commands (`jovian <name>`).' })),
    routes: Type.Optional(Type.Array(Route, { description: 'HTTP routes under /api/x/<id>.' })),
    ui: Type.Optional(
      Type.Object(
        {
          panels: Type.Optional(Type.Array(Panel)),
          widgets: Type.Optional(Type.Array(Widget)),
          settings_frame: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    events: Type.Optional(
      Type.Object(
        {
          emit: Type.Optional(
            Type.Array(Type.String({ pattern: TOPIC_PATTERN }), { description: 'Topics it may emit.' }),
          ),
          subscribe: Type.Optional(
            Type.Array(Type.String({ pattern: TOPIC_PATTERN }), {
              description: 'Topic patterns it listens to.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    jobs: Type.Optional(
      Type.Object(
        {
          default_timeout: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'Seconds.' })),
          max_concurrent: Type.Optional(Type.Integer({ minimum: 1 })),
          handlers: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  name: Type.String({ pattern: NAME_PATTERN }),
                  description: Type.Optional(Type.String()),
                  params: Type.Optional(
                    Type.Object(
                      {},
                      { additionalProperties: true, description: "JSON Schema of the job's params." },
                    ),
                  ),
                },
                { additionalProperties: false },
              ),
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    metrics: Type.Optional(
      Type.Union([
        Type.Boolean(),
        Type.Object(
          {
            enabled: Type.Boolean(),
            interval_ms: Type.Optional(
              Type.Integer({
                minimum: 1000,
                description:
                  'How often the host reads metrics() while the plugin is active (ms); default `metrics.interval_ms` of jovian.yaml (15000).',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  {
    additionalProperties: false,
    description: 'What the plugin adds, declared so the host can show it without running it.',
  },
);

const Dependency = Type.Object(
  {
    id: PluginId,
    version: Type.Optional(Text('A semver range; default `*`.')),
    optional: Type.Optional(Type.Boolean({ description: 'The plugin works without it; default false.' })),
  },
  { additionalProperties: false },
);

const Extension = Type.Union([
  PluginId,
  Type.Object({ id: PluginId, version: Type.Optional(Type.String()) }, { additionalProperties: false }),
]);

const Webhook = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://\\S+$',
      description: 'Where the calls are POSTed: an http:// or https:// URL. Redirects are not followed.',
    }),
    timeout_ms: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 300_000,
        description: "Deadline of each request; default: the plugin's call deadline (limits.timeout_ms).",
      }),
    ),
    max_response_kb: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10_240,
        description: 'Largest answer accepted, in KiB; default 1024.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: "runtime: webhook only — the service that answers this plugin's calls.",
  },
);

export const ManifestSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: PluginId,
    name: Type.Optional(Text('Display name; default: the id.')),
    description: Type.Optional(Type.String()),
    type: Type.Enum(['system', 'tool'], {
      description: '`system` plugins start first; `tool` plugins are optional.',
    }),
    version: Text('The plugin version (semver).'),
    author: Type.Optional(Type.String()),
    license: Type.Optional(Type.String()),
    engines: Type.Object(
      { jovian: Text('Semver range of Jovian versions this plugin works with.') },
      { additionalProperties: false },
    ),
    main: Type.Optional(
      Type.String({
        pattern: '\\S',
        description: 'Entry file, relative to the plugin folder; required unless runtime is `webhook`.',
      }),
    ),
    runtime: Type.Optional(
      Type.Enum(['inprocess', 'worker', 'process', 'webhook', 'lua'], {
        description: 'Where the code runs; default inprocess.',
      }),
    ),
    command: Type.Optional(
      Type.Array(Type.String({ pattern: '\\S' }), {
        minItems: 1,
        description:
          'runtime: process only — run this program instead of Node: argv, e.g. ["python3", "plugin.py"]. The program (first item) is looked up on PATH unless it contains a `/`; other items naming files in the plugin folder are resolved against it. It speaks the plugin protocol on stdin/stdout (docs/protocol.md).',
      }),
    ),
    webhook: Type.Optional(Webhook),
    activation: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Events that load the code: onStartup, onHook:<hook>, onCommand:<name>, onRoute:<path>, onEvent:<topic>, onPanel:<id>, onJob:<name>. Derived from contributes when absent.',
      }),
    ),
    contributes: Type.Optional(Contributes),
    permissions: Type.Optional(
      Type.Union([PermissionsObject, Type.Array(PermissionWord)], {
        description: 'What the plugin may touch; everything is denied by default.',
      }),
    ),
    config_schema: Type.Optional(
      Type.Object(
        {
          version: Type.Integer({
            minimum: 1,
            description: 'Bump it when the shape changes; add a migration.',
          }),
          format: Type.Optional(Type.Enum(['yaml'])),
          schema: Type.Optional(
            Type.Object({}, { additionalProperties: true, description: 'JSON Schema of config.yaml.' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    inputs: Type.Optional(
      Type.Object({}, { additionalProperties: true, description: 'JSON Schema of the input of run.' }),
    ),
    i18n: Type.Optional(Type.Array(Type.String(), { description: 'Language files, e.g. web/lang/en.json.' })),
    dependencies: Type.Optional(Type.Array(Dependency)),
    extends: Type.Optional(Type.Array(Extension, { description: 'Plugins this one only enriches.' })),
    limits: Type.Optional(
      Type.Object(
        {
          memory_mb: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
          timeout_ms: Type.Optional(Type.Integer({ minimum: 1 })),
          max_concurrent: Type.Optional(Type.Integer({ minimum: 1 })),
          events_per_second: Type.Optional(
            Type.Integer({
              minimum: 1,
              description:
                'Events the plugin may emit per second (default 1000); more are dropped and reported.',
            }),
          ),
          idle_timeout_ms: Type.Optional(
            Type.Integer({
              minimum: 1,
              description:
                'Hibernate: stop the plugin after this long without a call; the next activation event wakes it.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    restart: Type.Optional(
      Type.Enum(['always', 'on_demand', 'never'], {
        description:
          'After a crash: `always` restarts it (with backoff; the default for system plugins), `on_demand` lets the next activation event restart it (default for tools), `never` leaves it in error.',
      }),
    ),
    changelog: Type.Optional(Text('Path of the changelog, e.g. changelog.md.')),
  },
  { additionalProperties: false },
);

/** plugin.yaml as written, before defaults and synonyms are applied. */
export type RawManifest = Static<typeof ManifestSchema>;

export const SCHEMA_ID = 'urn:jovian:plugin-manifest';
export const SCHEMA_TITLE = 'Jovian plugin manifest (plugin.yaml)';
