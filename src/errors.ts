/**
 * The error catalogue and `JovianError`. Every error a person can see carries a stable code listed
 * here and in docs/errors.md (a test keeps the two equal; `npm run docs:errors` rewrites the doc).
 * Codes are never reused: retire a code by marking it, never by giving it a new meaning.
 */
import type { Diagnostic, ErrorData, Severity, SourceLocation } from './types.js';

export interface ErrorSpec {
  /** What went wrong, in one sentence. */
  readonly meaning: string;
  /** How to solve it; the default hint of errors with this code. */
  readonly hint: string;
}

/** The catalogue, grouped by subsystem. Keep each group sorted by code. */
export const ERROR_CATALOGUE = {
  // — general —
  JOVIAN_E_CANCELLED: {
    meaning: 'The operation was cancelled by its caller; this is not a failure.',
    hint: 'Nothing to fix; retry the operation if it is still wanted.',
  },
  JOVIAN_E_INTERNAL: {
    meaning: 'Jovian reached a state its own code does not allow (a bug in Jovian).',
    hint: 'Report it with the message and stack; the plugin involved is not at fault.',
  },
  JOVIAN_E_NOT_CLONEABLE: {
    meaning:
      'A value passed to or returned from a plugin cannot be structured-cloned (a function, a class instance with methods, a symbol…).',
    hint: 'Pass plain data (objects, arrays, strings, numbers, booleans, null, Date, Map, Set, ArrayBuffer).',
  },
  JOVIAN_E_UNEXPECTED: {
    meaning: 'An error without a Jovian code was thrown (by plugin code or a library).',
    hint: 'Read the message and stack; the plugin named in the log threw it.',
  },

  // — files and YAML —
  JOVIAN_E_FILE_READ_FAILED: {
    meaning: 'A file Jovian needs could not be read.',
    hint: 'Check that the path exists and is readable by the user running Jovian.',
  },
  JOVIAN_E_FILE_WRITE_FAILED: {
    meaning: 'A file could not be written; the previous content is unchanged.',
    hint: 'Check free disk space and that the directory is writable.',
  },
  JOVIAN_E_YAML_ALIAS_BOMB: {
    meaning: 'A YAML file expands too many aliases (a "billion laughs" resource-exhaustion attack).',
    hint: 'Write the values out instead of repeating them through `*aliases`.',
  },
  JOVIAN_E_YAML_FORBIDDEN_KEY: {
    meaning: 'A YAML file uses `__proto__`, `constructor` or `prototype` as a key (prototype pollution).',
    hint: 'Rename the key.',
  },
  JOVIAN_E_YAML_NOT_MAPPING: {
    meaning: 'A YAML file must contain a mapping (key: value pairs) at its top level.',
    hint: 'Start the file with `key: value` lines.',
  },
  JOVIAN_E_YAML_SYNTAX: {
    meaning: 'A YAML file is not well-formed (bad indentation, duplicate key, unclosed quote…).',
    hint: 'Fix the YAML at the line and column shown.',
  },

  // — manifests —
  JOVIAN_E_MANIFEST_BAD_ACTIVATION: {
    meaning: 'An activation event in `activation` is not one Jovian knows.',
    hint: 'Use onStartup, onHook:<hook>, onCommand:<name>, onRoute:<path>, onEvent:<topic>, onPanel:<id> or onJob:<name>.',
  },
  JOVIAN_E_MANIFEST_BAD_ID: {
    meaning: 'A plugin id does not match `[a-z][a-z0-9_-]{1,63}`.',
    hint: 'Use 2 to 64 lowercase letters, digits, `_` or `-`, starting with a letter.',
  },
  JOVIAN_E_MANIFEST_BAD_RANGE: {
    meaning: 'A version range (engines.jovian or a dependency version) is not a valid semver range.',
    hint: 'Write a range such as `^1.2.0`, `>=1.0.0 <2.0.0` or `*`.',
  },
  JOVIAN_E_MANIFEST_BAD_VERSION: {
    meaning: 'A plugin version is not a valid semantic version.',
    hint: 'Write MAJOR.MINOR.PATCH, for example `1.0.0` or `0.3.1-beta.2`.',
  },
  JOVIAN_E_MANIFEST_DUPLICATE_ID: {
    meaning: 'Two plugin folders declare the same id; the second one is ignored.',
    hint: 'Remove one of the folders or give it another id.',
  },
  JOVIAN_E_MANIFEST_DUPLICATE_PERMISSION: {
    meaning: 'A permission is given twice, once under a synonym (`net` and `network_outbound`, …).',
    hint: 'Keep one of the two keys.',
  },
  JOVIAN_E_MANIFEST_INVALID: {
    meaning: 'A manifest field has the wrong type or value.',
    hint: 'Correct the field as the message says; schema/plugin.schema.json describes every field.',
  },
  JOVIAN_E_MANIFEST_MAIN_MISSING: {
    meaning: 'The entry file named by `main` does not exist.',
    hint: 'Build the plugin, or point `main` at its entry file (relative to the plugin folder).',
  },
  JOVIAN_E_MANIFEST_MISSING_FIELD: {
    meaning: 'A required manifest field is missing.',
    hint: 'Add the field; a minimal manifest needs id, type, version, engines.jovian and main.',
  },
  JOVIAN_E_MANIFEST_NOT_FOUND: {
    meaning: 'A plugin folder has neither a plugin.yaml nor a legacy plugin module.',
    hint: 'Add a plugin.yaml (see docs/plugin-authoring.md) or remove the folder from the plugins directory.',
  },
  JOVIAN_E_MANIFEST_NO_LUA_HEADER: {
    meaning:
      'A `.lua` file in a plugins directory has no header (`-- @id …` comment lines at its top), so it is not loaded as a plugin.',
    hint: 'Start the file with `-- @id <id>` and `-- @version <semver>` lines, or move a helper module into a plugin folder.',
  },
  JOVIAN_E_MANIFEST_RESERVED_ID: {
    meaning: 'A plugin uses the id of a core plugin, which is reserved.',
    hint: 'Choose another id.',
  },
  JOVIAN_E_MANIFEST_UNKNOWN_FIELD: {
    meaning: 'A manifest has a field Jovian does not know (often a typo).',
    hint: 'Remove or rename the field; the message suggests the closest known field.',
  },
  JOVIAN_E_LEGACY_INVALID: {
    meaning: 'A legacy plugin module (no plugin.yaml) does not export a usable `plugin` or class.',
    hint: 'Export `plugin` with `meta` and `run`/`start`/`stop`, or a class with `on_*` methods — or add a plugin.yaml.',
  },
  JOVIAN_E_RUNTIME_UNAVAILABLE: {
    meaning: 'The plugin asks for a runtime this host does not provide, or for a feature its runtime lacks.',
    hint: 'Change `runtime:` in plugin.yaml to one the host lists, or drop the feature the message names.',
  },

  // — packages and signatures —
  JOVIAN_E_PACKAGE_ARCHIVE_INVALID: {
    meaning: 'A package archive is not a readable .tgz, .tar or .zip (truncated, corrupt or another format).',
    hint: 'Make the package again with `jovian plugins pack`, or download it again.',
  },
  JOVIAN_E_PACKAGE_BAD_PATH: {
    meaning:
      'A package entry or MANIFEST.json path is absolute, goes up with `..`, has an empty segment, a backslash or a control character, or appears twice.',
    hint: 'Do not install this archive: a package holds only plain relative paths (docs/packaging.md).',
  },
  JOVIAN_E_PACKAGE_FILE_CHANGED: {
    meaning: 'A file of a signed package differs from the SHA-256 that MANIFEST.json lists for it.',
    hint: 'Reinstall the package from its source; if you changed the plugin yourself, pack and sign it again.',
  },
  JOVIAN_E_PACKAGE_FILE_MISSING: {
    meaning: 'A file that MANIFEST.json lists is not in the package.',
    hint: 'Reinstall the package from its source, or pack and sign it again.',
  },
  JOVIAN_E_PACKAGE_FILE_UNLISTED: {
    meaning: 'A package holds a file that MANIFEST.json does not list (so no signature covers it).',
    hint: 'Remove the file, or pack and sign the plugin again so that it is listed.',
  },
  JOVIAN_E_PACKAGE_IDENTITY_MISMATCH: {
    meaning: 'The id or version MANIFEST.json signs is not the one plugin.yaml declares.',
    hint: 'A signature for one version cannot be reused for another: pack and sign this version.',
  },
  JOVIAN_E_CATALOG_INVALID: {
    meaning:
      'A plugin catalog is not JSON, or an entry lacks an id, version, url or sha256 (docs/packaging.md#catalogs).',
    hint: 'Fix the catalog file, or ask its publisher.',
  },
  JOVIAN_E_DOWNLOAD_FAILED: {
    meaning: 'A package or catalog could not be downloaded, or its URL is not https.',
    hint: 'Check the URL and the network, or download the file and give its path.',
  },
  JOVIAN_E_PACKAGE_HASH_MISMATCH: {
    meaning: "A downloaded package's SHA-256 differs from the one its catalog lists.",
    hint: 'The file changed since the catalog was written: ask its publisher, or check for tampering.',
  },
  JOVIAN_E_INSTALL_SOURCE_UNKNOWN: {
    meaning: 'What to install is not a folder, a package file, an https URL or a plugin of the catalog.',
    hint: 'Give a plugin folder, a .tgz/.zip, an https URL, or an id the catalog lists (--catalog).',
  },
  JOVIAN_E_INSTALL_MANIFEST_INVALID: {
    meaning: "A package's plugin.yaml is not valid, so it cannot be installed.",
    hint: 'Fix plugin.yaml in the plugin folder, pack and sign again.',
  },
  JOVIAN_E_INSTALL_HOST_RANGE: {
    meaning: "A package's engines.jovian range does not include this Jovian's version.",
    hint: 'Install a version of the plugin made for this Jovian, or update Jovian.',
  },
  JOVIAN_E_INSTALL_DOWNGRADE: {
    meaning: 'A package is older than the installed version of the plugin.',
    hint: 'Run again with --allow-downgrade to go back on purpose.',
  },
  JOVIAN_E_INSTALL_CONFLICT: {
    meaning: 'A plugin folder that Jovian did not install is in the way, or another install is running.',
    hint: 'Move the folder out of <data-dir>/plugins, or wait for the other install to finish.',
  },
  JOVIAN_E_INSTALL_DEPENDENCY_MISSING: {
    meaning: 'A plugin to install requires plugins that are not installed (or not in a version it accepts).',
    hint: 'Install them first, or run again with --install-deps to install them from the catalog.',
  },
  JOVIAN_E_INSTALL_CONSENT_REQUIRED: {
    meaning: 'An install or update needs consent (unsigned package, or new permissions) and none was given.',
    hint: 'Read what it asks for, then run again with --yes (or accept in the WebUI).',
  },
  JOVIAN_E_INSTALL_ROLLED_BACK: {
    meaning:
      'A new version failed to activate or failed its first health check, so the previous version was put back.',
    hint: 'See the reason and the plugin log (jovian logs <id>); fix the package and install again.',
  },
  JOVIAN_E_PLUGIN_NOT_INSTALLED: {
    meaning:
      'The plugin is not installed in <data-dir>/plugins, so it cannot be updated, uninstalled or rolled back.',
    hint: 'Check the id with `jovian plugins list`; plugins in other folders are managed by hand.',
  },
  JOVIAN_E_UNINSTALL_REQUIRED: {
    meaning: 'Another enabled plugin requires the plugin to uninstall.',
    hint: 'Disable or uninstall the dependents first, or run again with --cascade to disable them.',
  },
  JOVIAN_E_PACKAGE_LINK: {
    meaning: 'A plugin folder or package holds a symbolic or hard link, which packages may not contain.',
    hint: 'Replace the link by a copy of the file it points to.',
  },
  JOVIAN_E_PACKAGE_MANIFEST_INVALID: {
    meaning: 'MANIFEST.json is missing, is not JSON, or is not in the canonical form (docs/packaging.md).',
    hint: 'Run `jovian plugins pack <dir>` to write it, then sign again.',
  },
  JOVIAN_E_PACKAGE_SPECIAL_FILE: {
    meaning: 'A plugin folder or package holds a device, FIFO or socket, which packages may not contain.',
    hint: 'Remove it from the plugin folder.',
  },
  JOVIAN_E_PACKAGE_TOO_LARGE: {
    meaning:
      'A package archive exceeds a cap: entry count, size of one file, total size or compression ratio (a compression bomb).',
    hint: 'Do not install this archive; if the plugin really is this large, remove what it does not need.',
  },
  JOVIAN_E_PACKAGE_UNSIGNED: {
    meaning: 'A package has no plugin.sig, so its origin cannot be checked.',
    hint: 'Sign it: `jovian plugins sign <pkg> --key <key>` or `ssh-keygen -Y sign -n jovian-plugin -f <key> MANIFEST.json`.',
  },
  JOVIAN_E_SIGNATURE_BAD: {
    meaning: 'plugin.sig does not verify against MANIFEST.json: one of them was changed after signing.',
    hint: 'Reinstall the package from its source; do not trust this copy.',
  },
  JOVIAN_E_SIGNATURE_INVALID: {
    meaning:
      'plugin.sig is not an OpenSSH SSHSIG Ed25519 signature in namespace `jovian-plugin` (malformed, another key type or namespace).',
    hint: 'Sign with `jovian plugins sign` or `ssh-keygen -Y sign -n jovian-plugin` using an Ed25519 key.',
  },
  JOVIAN_E_SIGNATURE_KEY_INVALID: {
    meaning: 'The signing key is not an unencrypted OpenSSH Ed25519 private key.',
    hint: 'Create one with `ssh-keygen -t ed25519 -f <file>`, or sign an encrypted key with `ssh-keygen -Y sign -n jovian-plugin`.',
  },
  JOVIAN_E_SIGNATURE_STALE: {
    meaning: 'plugin.sig signs an older MANIFEST.json than the files now in the plugin folder.',
    hint: 'Sign again after packing (`jovian plugins sign`), or delete plugin.sig.',
  },
  JOVIAN_E_SIGNATURE_UNKNOWN_KEY: {
    meaning: 'The package is signed by a key that the trust store does not list.',
    hint: 'If you trust the signer, add its public key to the trust store (docs/packaging.md#trust-store); otherwise do not install.',
  },
  JOVIAN_E_TRUST_STORE_INVALID: {
    meaning: 'A line of the trust store (allowed_signers) cannot be read.',
    hint: 'Write `<principal> [namespaces="jovian-plugin"] ssh-ed25519 <key> [trust=official|verified|community]`.',
  },

  // — lockfile (jovian.lock) —
  JOVIAN_E_LOCK_DRIFT: {
    meaning:
      'A plugin differs from its entry in jovian.lock (version, content or permissions), so the host refuses to start it.',
    hint: 'If you accept the change, run `jovian plugins lock --update <id>` (or start with `--update-lock`); otherwise put the locked version back.',
  },
  JOVIAN_E_LOCK_ENABLED_MISMATCH: {
    meaning: 'A plugin is enabled where jovian.lock says disabled, or the other way round.',
    hint: 'Run `jovian plugins enable|disable <id>` to match the lock, or `jovian plugins lock --update <id>` to record the current flag.',
  },
  JOVIAN_E_LOCK_INVALID: {
    meaning: 'jovian.lock is not JSON, or an entry lacks a field or has one of the wrong type.',
    hint: 'Fix the file at the place shown, or delete it and run `jovian plugins lock` to write it again.',
  },
  JOVIAN_E_LOCK_NOT_FOUND: {
    meaning: 'There is no jovian.lock where the command looked for one.',
    hint: 'Run `jovian plugins lock` to write it (next to the project file with --project, else in the data directory).',
  },
  JOVIAN_E_LOCK_PLUGIN_GONE: {
    meaning: 'jovian.lock lists a plugin that is not in any plugins directory.',
    hint: 'Install the plugin again, or run `jovian plugins lock --update <id>` to remove its entry.',
  },
  JOVIAN_E_LOCK_UNLISTED: {
    meaning: 'A plugin is not listed in jovian.lock; it runs, unchecked.',
    hint: 'Run `jovian plugins lock --update <id>` to add it to the lock.',
  },
  JOVIAN_E_LOCK_VERSION_UNSUPPORTED: {
    meaning: 'jovian.lock has a `lockfile_version` this version of Jovian does not read.',
    hint: 'Use the Jovian version that wrote the file, or delete it and run `jovian plugins lock` to write it again.',
  },

  // — dependency graph —
  JOVIAN_E_DEPENDENCY_CATEGORY: {
    meaning: 'A system plugin requires a tool plugin, but system plugins start before tools.',
    hint: 'Make the dependency optional, make the dependency a system plugin, or make the dependent a tool.',
  },
  JOVIAN_E_DEPENDENCY_CYCLE: {
    meaning: 'Plugins depend on each other in a cycle; every plugin on it is disabled.',
    hint: 'Break the cycle: remove one of the dependencies shown in the path or make it optional.',
  },
  JOVIAN_E_DEPENDENCY_DISABLED: {
    meaning: 'A required dependency is disabled or blocked, so the dependent is blocked.',
    hint: 'Enable the dependency (`jovian plugins enable <id>`) or fix what blocks it.',
  },
  JOVIAN_E_DEPENDENCY_FAILED: {
    meaning: 'A required dependency failed, so the dependent is blocked.',
    hint: 'Fix the failing dependency (see `jovian plugins info <id>`); the dependent comes back with it.',
  },
  JOVIAN_E_DEPENDENCY_INCOMPATIBLE: {
    meaning: 'A required dependency is installed in a version outside the requested range.',
    hint: 'Update the dependency or relax the range in the dependent plugin.yaml.',
  },
  JOVIAN_E_DEPENDENCY_MISSING: {
    meaning: 'A required dependency is not installed.',
    hint: 'Install the missing plugin, or mark the dependency `optional: true` if the plugin works without it.',
  },
  JOVIAN_E_HOST_INCOMPATIBLE: {
    meaning: "The plugin's engines.jovian range does not include this Jovian version.",
    hint: 'Update the plugin, or Jovian, so that the range matches.',
  },
  JOVIAN_E_OPTIONAL_DEPENDENCY_MISSING: {
    meaning: 'An optional dependency is not available; the plugin runs without the features it adds.',
    hint: 'Nothing required; install the optional plugin to get its features.',
  },

  // — configuration and state —
  JOVIAN_E_CONFIG_INVALID: {
    meaning: 'A configuration value breaks a rule of its schema.',
    hint: 'Correct the value at the key and line shown; the rule says what is allowed.',
  },
  JOVIAN_E_CONFIG_MIGRATION_FAILED: {
    meaning: "A plugin's config migration threw; the config file was left as it was.",
    hint: 'Fix the migration in the plugin, or edit the config by hand (a backup is next to it).',
  },
  JOVIAN_E_CONFIG_MIGRATION_MISSING: {
    meaning: "A plugin's config_schema.version went up but the plugin has no migration for a step.",
    hint: 'Add `migrations: { <version>: (old) => new }` to the plugin definition for every version step.',
  },
  JOVIAN_E_CONFIG_UNKNOWN_KEY: {
    meaning: 'A configuration key is not known to its schema.',
    hint: 'Remove or rename the key; the message suggests the closest known key.',
  },
  JOVIAN_E_CONFIG_VERSION_AHEAD: {
    meaning: 'A config file was written by a newer plugin version than the one installed.',
    hint: 'Update the plugin, or restore the backup written before the upgrade.',
  },
  JOVIAN_E_STATE_NOT_JSON: {
    meaning: 'A value given to ctx.state cannot be stored as JSON.',
    hint: 'Store plain JSON values (objects, arrays, strings, finite numbers, booleans, null).',
  },

  // — lifecycle —
  JOVIAN_E_ACTIVATION_FAILED: {
    meaning: "A plugin's activate() threw or its entry module failed to load.",
    hint: 'Read the cause; fix the plugin, then enable it again or restart the host.',
  },
  JOVIAN_E_ACTIVATION_TIMEOUT: {
    meaning: "A plugin's activate() did not finish before its deadline.",
    hint: 'Make activate() return sooner (move slow work to a job) or raise limits.timeout_ms.',
  },
  JOVIAN_E_CALL_TIMEOUT: {
    meaning:
      'A call into a plugin (run, a command, a route, a panel, an API method) did not finish before its deadline.',
    hint: "Make the plugin answer sooner, move long work to a job, or raise the plugin's limits.timeout_ms.",
  },
  JOVIAN_E_CORE_PLUGIN_LOCKED: {
    meaning: 'Core plugins are part of the host and cannot be disabled or reloaded.',
    hint: 'Nothing to do; core plugins always run.',
  },
  JOVIAN_E_DEACTIVATION_FAILED: {
    meaning: "A plugin's deactivate() threw; the plugin was stopped anyway.",
    hint: 'Fix deactivate() in the plugin; resources it held may not have been released.',
  },
  JOVIAN_E_DEACTIVATION_TIMEOUT: {
    meaning: "A plugin's deactivate() did not finish before its deadline; the plugin was stopped anyway.",
    hint: 'Make deactivate() return sooner.',
  },
  JOVIAN_E_ENTRY_INVALID: {
    meaning: "A plugin's entry module does not export a plugin definition.",
    hint: 'Export `default definePlugin({ activate(ctx) { … } })` from the file named by `main`.',
  },
  JOVIAN_E_ILLEGAL_TRANSITION: {
    meaning: 'A plugin was asked to move between two lifecycle states that are not connected (a bug).',
    hint: 'Report it; docs/lifecycle.md lists the allowed transitions.',
  },
  JOVIAN_E_PLUGIN_NOT_FOUND: {
    meaning: 'No plugin has this id.',
    hint: 'Run `jovian plugins list` to see the ids, and check --plugins-dir.',
  },
  JOVIAN_E_PLUGIN_UNAVAILABLE: {
    meaning: 'The plugin cannot be activated in its current state (disabled, blocked or failed).',
    hint: 'See `jovian plugins info <id>` for the reason, and enable or fix it.',
  },
  JOVIAN_E_HOST_NOT_STARTED: {
    meaning: 'The host was used before start() finished, or after stop().',
    hint: 'Await host.start() before using the host.',
  },

  // — runtimes and protocol —
  JOVIAN_E_EXECUTABLE_NOT_FOUND: {
    meaning: "The program named by a plugin's `command` was not found, or cannot be run.",
    hint: 'Install the program (or fix its name) so that it is on PATH, or write its path: absolute, or relative to the plugin folder with a `/` (`./plugin.sh`).',
  },
  JOVIAN_E_PLUGIN_CRASHED: {
    meaning:
      "A plugin's isolated runtime ended unexpectedly (the process exited or was killed, the worker stopped).",
    hint: 'Read the crash dump under <data-dir>/logs/crashes and the plugin log; the host restarts it per its restart policy.',
  },
  JOVIAN_E_ISOLATION_REFUSED: {
    meaning:
      "A plugin's trust level requires more isolation than it can have (a legacy plugin, or one tapping synchronous hooks, cannot leave the host process).",
    hint: 'Add the plugin to security.isolation.allow in jovian.yaml if you trust it, or lower the floor of its trust level (docs/permissions.md).',
  },
  JOVIAN_E_PLUGIN_UNSIGNED: {
    meaning:
      'In strict mode (`security.mode: strict`), a plugin without a signature is refused: a folder with no plugin.sig, a single-file Lua plugin or a legacy plugin.',
    hint: 'Pack and sign the plugin (`jovian plugins pack` then `jovian plugins sign`), or set `security.allow_unsigned_local_plugins: true` in jovian.yaml to load it as "dev / unsigned" (docs/packaging.md#trust-at-load).',
  },
  JOVIAN_E_PLUGIN_SIGNATURE_REFUSED: {
    meaning:
      'In strict mode (`security.mode: strict`), a plugin whose signature does not verify is refused: a file was changed, added or removed, the key is not in the trust store, or plugin.sig is bad (the message names the file and the first failure).',
    hint: 'Reinstall the plugin from its source, sign it again after changing it, or add its key to <data-dir>/allowed_signers; `jovian plugins verify <folder>` shows the failure (docs/packaging.md#trust-at-load).',
  },
  JOVIAN_E_ISOLATION_RAISED: {
    meaning:
      "(info) A plugin runs with more isolation than its manifest declares, because of its trust level's floor.",
    hint: 'Nothing to fix. To run it as declared, add it to security.isolation.allow in jovian.yaml (docs/permissions.md).',
  },
  JOVIAN_E_EVENTS_THROTTLED: {
    meaning:
      'A plugin emitted more events per second than its limit (limits.events_per_second, default 1000): the event was dropped.',
    hint: 'Emit less often (batch several changes in one event), or raise limits.events_per_second in plugin.yaml.',
  },
  JOVIAN_E_CIRCUIT_OPEN: {
    meaning:
      'A plugin failed too many times in a row: its circuit breaker is open and the host does not call it until the cool-down ends.',
    hint: 'Read the plugin log (`jovian logs <id>`); after the cool-down one trial call goes through and a success closes the breaker.',
  },
  JOVIAN_E_PLUGIN_SUSPENDED: {
    meaning: 'The plugin is suspended: it keeps its state but receives no calls, hook calls or events.',
    hint: 'Resume it (`host.resume(id)`); if its breaker suspended it, it resumes by itself after the cool-down.',
  },
  JOVIAN_E_LUA_SYNTAX: {
    meaning: "A Lua plugin's source does not compile (found without running it).",
    hint: 'Fix the Lua at the file and line given; `jovian plugins doctor` checks every Lua plugin this way.',
  },
  JOVIAN_E_RELOAD_REFUSED: {
    meaning:
      'A plugin cannot be reloaded here: the host is not in developer mode, or the plugin is a legacy module.',
    hint: 'Set `developer_mode: true` in jovian.yaml (or pass --dev); restart the host to load a legacy plugin again.',
  },
  JOVIAN_E_RELOAD_FAILED: {
    meaning:
      'The new version of a plugin could not be read, loaded or started; the previous version keeps serving (a worker or process plugin was never stopped; a Lua or in-process one runs again from memory).',
    hint: 'Fix the error at the file and line given, save, and reload again; the crash dump named in the log has the details.',
  },
  JOVIAN_E_PROTOCOL_ERROR: {
    meaning: 'A message between the host and an isolated plugin was malformed or named an unknown method.',
    hint: 'Check the plugin against docs/protocol.md (one JSON message per line on stdio, positional params).',
  },
  JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE: {
    meaning:
      'A protocol message is longer than the line limit of the stdio transport (16 MiB): a plugin that sends one is stopped; a call whose arguments or result would need one fails.',
    hint: 'Send large data in pieces, or write it to a file with ctx.fs and pass the path (docs/protocol.md, Limits).',
  },
  JOVIAN_E_PROTOCOL_MISMATCH: {
    meaning:
      'An isolated plugin opened with a wrong magic value or a protocol version this host does not speak.',
    hint: 'Update the plugin (or its protocol helper) to the protocol versions in docs/protocol.md.',
  },
  JOVIAN_E_RUNTIME_CLOSED: {
    meaning:
      'A call to or from an isolated plugin failed because its channel is closed (the plugin stopped or crashed).',
    hint: 'See the plugin state and crash dump (`jovian plugins info <id>`); calls work again once it restarts.',
  },
  JOVIAN_E_WEBHOOK_BAD_RESPONSE: {
    meaning:
      'The service of a webhook plugin answered 2xx with a body that is not JSON, or not `{"result": …}` or `{"error": {…}}`.',
    hint: 'Make the service answer JSON `{"result": …}` or `{"error": {"code", "message", "hint"}}` (docs/plugin-authoring.md, Webhook plugins).',
  },
  JOVIAN_E_WEBHOOK_FAILED: {
    meaning:
      "A request to a webhook plugin's URL failed: connection refused, TLS error, a redirect, or a status other than 2xx.",
    hint: 'Check that the service at webhook.url is up and answers 2xx; redirects are not followed, so put the final URL in plugin.yaml.',
  },
  JOVIAN_E_WEBHOOK_SECRET_INVALID: {
    meaning:
      'The signing secret of a webhook plugin (<data-dir>/secrets/<id>.key) cannot be read or is unusable.',
    hint: 'Delete the file to have a new secret created at the next call, or write one line of at least 32 characters to it (`openssl rand -hex 32`), mode 0600.',
  },
  JOVIAN_E_WEBHOOK_TIMEOUT: {
    meaning: 'The service of a webhook plugin did not answer before the deadline (webhook.timeout_ms).',
    hint: 'Make the service answer sooner (queue slow work and answer at once), or raise webhook.timeout_ms.',
  },
  JOVIAN_E_WEBHOOK_TOO_LARGE: {
    meaning:
      'The service of a webhook plugin answered with more than webhook.max_response_kb (default 1024 KiB).',
    hint: 'Answer with less data, or raise webhook.max_response_kb (at most 10240).',
  },

  // — hooks —
  JOVIAN_E_HOOK_TAP_FAILED: {
    meaning: 'A hook tap threw; the hook went on with the previous value (or failed, if declared strict).',
    hint: 'Fix the tap in the plugin named in the message.',
  },
  JOVIAN_E_HOOK_TAP_TIMEOUT: {
    meaning: 'A hook tap did not finish before its deadline; the hook went on without it.',
    hint: 'Make the tap faster, or move slow work out of the hook.',
  },
  JOVIAN_E_HOOK_BAD_TAP: {
    meaning: 'A hook tap was registered with invalid options (no name, a sync hook tapped asynchronously…).',
    hint: 'Give every tap a name and use the tap method that matches the hook kind.',
  },
  JOVIAN_E_HOOK_UNDECLARED: {
    meaning: 'A plugin tapped a hook that its manifest does not list under contributes.hooks.',
    hint: 'Add the hook to contributes.hooks in plugin.yaml.',
  },
  JOVIAN_E_HOOK_UNKNOWN: {
    meaning: 'No hook with this name is declared by the host.',
    hint: 'Check the hook name against the hooks the host declares (`jovian plugins doctor` lists them).',
  },
  JOVIAN_E_HOOK_NOT_LAZY: {
    meaning:
      'A synchronous hook cannot wait for a plugin to activate, so its taps need `onStartup` activation.',
    hint: 'Add `onStartup` to activation, or tap an asynchronous hook instead.',
  },

  // — events —
  JOVIAN_E_EVENT_BAD_TOPIC: {
    meaning: 'An event topic or pattern is malformed.',
    hint: 'Topics are dot-separated words (`chat.message`); patterns may use `*` (one word) and `**` (any words).',
  },
  JOVIAN_E_EVENT_HANDLER_FAILED: {
    meaning: 'An event subscriber threw; other subscribers still received the event.',
    hint: 'Fix the subscriber named in the message.',
  },
  JOVIAN_E_EVENT_OVERFLOW: {
    meaning:
      "A subscriber's queue was full; events were dropped or the subscriber removed, per its overflow policy.",
    hint: 'Make the subscriber faster, raise its queue size, or choose another overflow policy.',
  },
  JOVIAN_E_EVENT_UNDECLARED: {
    meaning: 'A plugin emitted or subscribed to a topic its manifest does not declare.',
    hint: 'Add the topic to contributes.events.emit (or .subscribe) in plugin.yaml.',
  },

  // — permissions and contributions —
  JOVIAN_E_CONTRIBUTION_CONFLICT: {
    meaning: 'Two plugins contribute the same command or route, or a plugin command shadows a built-in one.',
    hint: 'Rename the command or route in one of the plugins.',
  },
  JOVIAN_E_CONTRIBUTION_NOT_REGISTERED: {
    meaning:
      'A plugin declares a command, route or panel but registered no handler for it when it activated.',
    hint: 'Call ctx.contributions.registerCommand / registerRoute / registerPanel in activate().',
  },
  JOVIAN_E_CONTRIBUTION_UNDECLARED: {
    meaning: 'A plugin registered a command, route or panel that its manifest does not declare.',
    hint: 'Declare it under contributes in plugin.yaml so the host can show it without running the plugin.',
  },
  JOVIAN_E_COMMAND_UNKNOWN: {
    meaning: 'No built-in or plugin command has this name.',
    hint: 'Run `jovian --help` to see the commands.',
  },
  JOVIAN_E_FS_NOT_FOUND: {
    meaning: 'A file or folder a plugin asked for through ctx.fs (or as a working folder) does not exist.',
    hint: 'Check the path; relative paths start from the project folder.',
  },
  JOVIAN_E_FS_TOO_LARGE: {
    meaning: 'A file read through ctx.fs is larger than the 64 MiB cap.',
    hint: 'Read a smaller file, or process it in pieces with a command the plugin may run.',
  },
  JOVIAN_E_HTTP_FAILED: {
    meaning:
      'An outbound request through ctx.http failed: bad URL, name not resolved, connection error, too many redirects.',
    hint: 'Check the URL and that the server answers; the cause says more.',
  },
  JOVIAN_E_HTTP_TIMEOUT: {
    meaning: 'An outbound request through ctx.http did not complete before its deadline.',
    hint: 'Pass a larger timeoutMs (at most 60 s) or make the request lighter.',
  },
  JOVIAN_E_HTTP_TOO_LARGE: {
    meaning: 'A response received through ctx.http is larger than the 10 MiB cap.',
    hint: 'Ask the server for less (paging, ranges).',
  },
  JOVIAN_E_PERMISSION_DENIED: {
    meaning: 'A plugin used a service (files, network, commands) its manifest does not grant.',
    hint: 'Add the permission named in the message to plugin.yaml, limited to what the plugin needs.',
  },
  JOVIAN_E_RUNNER_FAILED: {
    meaning: 'A command a plugin is allowed to run could not be started (not found, not executable).',
    hint: 'Check that the command is installed and on the PATH the runner passes (PATH, HOME, LANG, TZ only).',
  },
  JOVIAN_E_PLUGIN_API_UNAVAILABLE: {
    meaning:
      "Another plugin's API was requested but that plugin is not declared as a dependency, or exposes no API.",
    hint: 'List the plugin under dependencies (optional: true if it may be absent) and check it exports `api`.',
  },
  JOVIAN_E_SERVICE_UNAVAILABLE: {
    meaning: 'The service exists in the plugin API but this runtime does not provide it yet.',
    hint: 'See docs/plugin-authoring.md for the services each runtime provides.',
  },

  // — run —
  JOVIAN_E_RUN_FAILED: {
    meaning: "A plugin's run() threw.",
    hint: 'Read the cause; fix the plugin or the input.',
  },
  JOVIAN_E_RUN_INPUT_INVALID: {
    meaning: "The input given to run does not match the plugin's `inputs` schema.",
    hint: 'Correct the input as the message says; `jovian plugins info <id>` shows the schema.',
  },
  JOVIAN_E_RUN_NOT_SUPPORTED: {
    meaning: 'The plugin does not implement run().',
    hint: 'Call one of its commands or hooks instead, or add `run` to its definition.',
  },
  JOVIAN_E_METRICS_INVALID: {
    meaning: "A plugin's metrics() answered something other than an object of finite numbers.",
    hint: 'Return an object such as `{ requests: 12, queue: 0 }` from metrics(), or null when there is nothing to report.',
  },
  JOVIAN_E_LOG_LEVEL_INVALID: {
    meaning:
      "A plugin's log level was set to a level that does not exist, or a debug period was given a duration that is not a positive whole number of milliseconds.",
    hint: 'Use one of debug, info, warn, error (or null to follow the global level), and a duration such as `10m` on the command line or `600000` in the API.',
  },
  JOVIAN_E_LOGS_HOST_NOT_RUNNING: {
    meaning:
      "`jovian logs` was asked to change a plugin's level, but no host serves this data directory (levels live in the running host).",
    hint: 'Start the host with `jovian serve` (same --data-dir), then run the command again.',
  },

  // — audit and health —
  JOVIAN_E_AUDIT_CHAIN_BROKEN: {
    meaning:
      'The audit log does not verify: a record was edited, deleted or moved after it was written (`jovian audit verify` names the first one).',
    hint: 'Records from the one named on cannot be trusted: keep the file as evidence, restore <data-dir>/audit.db from a backup, and find out who could write to it.',
  },
  JOVIAN_E_AUDIT_UNREADABLE: {
    meaning: 'The audit database cannot be opened or read (not an SQLite file, damaged, or not readable).',
    hint: 'Check <data-dir>/audit.db: its owner, its permissions, and that it is the file Jovian wrote.',
  },
  JOVIAN_E_HEALTH_FAILING: {
    meaning:
      "A plugin's health() reported `failing`, or threw, on enough consecutive checks: a tool is stopped, a system plugin restarted per its restart policy.",
    hint: 'Read the message its health() gave and the plugin log; a tool starts again on its next activation event.',
  },
  JOVIAN_E_HEALTH_MISSING: {
    meaning: 'A system plugin does not implement health(), so the host cannot tell whether it works.',
    hint: 'Add a fast, idempotent `health()` returning `{ status: "ok" | "degraded" | "failing", message }` to its definition.',
  },
  JOVIAN_E_HEALTH_TIMEOUT: {
    meaning: "A plugin's health() did not answer within `health.timeout_ms`; the check counts as failing.",
    hint: 'Make health() fast (no long I/O), or raise `health.timeout_ms` in jovian.yaml.',
  },

  // — jobs —
  JOVIAN_E_JOB_FINISHED: {
    meaning: 'The job has already ended (completed, failed, cancelled or timed out): it cannot be cancelled.',
    hint: 'Nothing to cancel; `jovian jobs show <id>` tells how it ended.',
  },
  JOVIAN_E_JOB_HANDLER_FAILED: {
    meaning: "A job's handler threw an error without a code of its own.",
    hint: "Read the job's error and the plugin log; fix the handler or the params and run the job again.",
  },
  JOVIAN_E_JOB_INTERRUPTED: {
    meaning: 'The job was running or waiting when its plugin or the host stopped: it did not finish.',
    hint: 'Run the job again (`jovian jobs run <plugin> <name>`); jobs are not resumed after a restart.',
  },
  JOVIAN_E_JOB_NOT_FOUND: {
    meaning: 'No job has this id: it never existed, or it was removed by the retention rules of jovian.yaml.',
    hint: 'List the jobs with `jovian jobs list`; keep them longer with jobs.retention in jovian.yaml.',
  },
  JOVIAN_E_JOB_NOT_REGISTERED: {
    meaning:
      'The plugin declares the job handler in plugin.yaml but registered no function for it when it activated.',
    hint: "Call `ctx.jobs.register(<name>, handler)` in the plugin's activate().",
  },
  JOVIAN_E_JOB_PARAMS_INVALID: {
    meaning:
      "A job's params do not match the JSON Schema its handler declares (contributes.jobs.handlers[].params).",
    hint: 'Fix the params named in the message; the schema is in the plugin.yaml.',
  },
  JOVIAN_E_JOB_TIMEOUT: {
    meaning:
      'A job ran longer than its deadline (contributes.jobs.default_timeout, else jobs.default_timeout in jovian.yaml): it was stopped.',
    hint: 'Make the handler faster or honour `job.signal`, or raise default_timeout under contributes.jobs in plugin.yaml.',
  },
  JOVIAN_E_JOB_UNDECLARED: {
    meaning:
      'A job was submitted or registered under a name the plugin does not declare in contributes.jobs.handlers.',
    hint: 'Declare it in plugin.yaml: contributes.jobs.handlers: [{ name: <name> }], or use a declared name.',
  },
  JOVIAN_E_JOBS_STORE_FAILED: {
    meaning: 'The jobs database (<data-dir>/jobs.db) could not be opened, read or written.',
    hint: 'Check free disk space and that the data directory is writable; a corrupt jobs.db can be moved aside (the history in it is lost).',
  },

  // — packaging —
  JOVIAN_E_SCAFFOLD_BAD_ID: {
    meaning: 'The id given to `jovian plugins scaffold` is not a valid plugin id (`[a-z][a-z0-9_-]{1,63}`).',
    hint: 'Use 2 to 64 lowercase letters, digits, `_` or `-`, starting with a letter.',
  },
  JOVIAN_E_SCAFFOLD_OPTION_UNSUPPORTED: {
    meaning:
      '`jovian plugins scaffold` was given an unknown type or runtime, or an option the runtime cannot have (a panel, a CLI command or `--type system` for a Lua plugin, which has no health()).',
    hint: 'Use --type system|tool and --runtime inprocess|worker|process|lua; drop --with-ui, --with-cli and --type system with --runtime lua.',
  },
  JOVIAN_E_SCAFFOLD_TARGET_EXISTS: {
    meaning:
      'The folder (or Lua file) `jovian plugins scaffold` would write already exists and is not empty.',
    hint: 'Choose another id, give an empty or new folder with --dir, or remove the existing one.',
  },

  // — command line —
  JOVIAN_E_CLI_BAD_JSON: {
    meaning: 'A command-line argument that must be JSON is not valid JSON.',
    hint: 'Quote the JSON for your shell, e.g. --input \'{"key": 1}\'.',
  },
  JOVIAN_E_INVENTORY_ROOT_INVALID: {
    meaning: 'The path given to `jovian inventory` does not exist or is not a folder.',
    hint: 'Give an existing folder, e.g. `jovian inventory .` or `jovian inventory plugins`.',
  },
  JOVIAN_E_SERVER_UNREACHABLE: {
    meaning:
      'A command found a running `jovian serve` for the data directory (<data-dir>/server.json) but could not reach its API.',
    hint: 'Check that the server still runs; if it was killed, remove <data-dir>/server.json and run the command again.',
  },
  JOVIAN_E_SERVER_UNAUTHORIZED: {
    meaning: 'An API request or WebSocket carried no valid token.',
    hint: 'Open the login URL `jovian serve` printed, or send `Authorization: Bearer <token>` (the token is in <data-dir>/server-token).',
  },
  JOVIAN_E_SERVER_ORIGIN_REFUSED: {
    meaning:
      "A request that changes state came from a web page of another origin (its `Origin` header is not this server's).",
    hint: 'Call the API from the Jovian UI itself, or from a client that sends no Origin header.',
  },
  JOVIAN_E_SERVER_BAD_REQUEST: {
    meaning: 'An API request is malformed: a missing or wrong body field, an unknown query value.',
    hint: 'See docs/server.md for the shape of each route.',
  },
  JOVIAN_E_SERVER_UPLOAD_TOO_LARGE: {
    meaning: 'A package sent to `POST /api/packages` is larger than the upload cap (128 MiB).',
    hint: 'Check that the file is the plugin package; a plugin this large cannot be installed through the API.',
  },
  JOVIAN_E_SERVER_UPLOAD_UNKNOWN: {
    meaning:
      'An upload reference names no package the server keeps: it was installed already, or it expired (after one hour).',
    hint: 'Send the package file again.',
  },
  JOVIAN_E_SERVER_NOT_FOUND: {
    meaning: 'No API route or action has this name.',
    hint: 'See docs/server.md for the routes.',
  },
  JOVIAN_E_CLI_USAGE: {
    meaning: 'The command line is incomplete or has an unknown option.',
    hint: 'Run the command with --help.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface JovianErrorOptions {
  /** How to solve it; defaults to the catalogue's hint for the code. */
  readonly hint?: string | undefined;
  readonly where?: SourceLocation | undefined;
  readonly cause?: unknown;
}

/**
 * An error with a stable code, a hint and, for files, the place it points at.
 * @example
 * throw new JovianError('JOVIAN_E_PLUGIN_NOT_FOUND', 'no plugin `weather`');
 */
export class JovianError extends Error {
  override readonly name: string = 'JovianError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly where: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: JovianErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint ?? ERROR_CATALOGUE[code]?.hint;
    this.where = options.where;
  }

  /** Builds an error from data received across a boundary; keeps codes unknown to this side. */
  static fromData(data: ErrorData): JovianError {
    const error = new JovianError('JOVIAN_E_UNEXPECTED', data.message, {
      hint: data.hint,
      where: data.where,
      cause: data.cause === undefined ? undefined : JovianError.fromData(data.cause),
    });
    (error as { code: string }).code = data.code;
    (error as { name: string }).name = data.name || 'JovianError';
    if (data.stack !== undefined) error.stack = data.stack;
    return error;
  }
}

/** Cancellation is never reported as a failure. */
export class CancelledError extends JovianError {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super('JOVIAN_E_CANCELLED', message);
  }
}

export function isJovianError(value: unknown): value is JovianError {
  return value instanceof JovianError;
}

export function isCancellation(value: unknown): boolean {
  return (
    value instanceof CancelledError ||
    (typeof value === 'object' &&
      value !== null &&
      (value as { code?: unknown }).code === 'JOVIAN_E_CANCELLED') ||
    (value instanceof Error && value.name === 'AbortError')
  );
}

const MAX_CAUSE_DEPTH = 8;

/** Turns anything thrown into plain data. Codes of non-Jovian errors are kept when they are strings. */
export function errorToData(value: unknown, depth = 0): ErrorData {
  if (value instanceof Error) {
    const raw = value as Error & { code?: unknown; hint?: unknown; where?: unknown };
    const code = typeof raw.code === 'string' ? raw.code : 'JOVIAN_E_UNEXPECTED';
    const cause =
      raw.cause !== undefined && depth < MAX_CAUSE_DEPTH ? errorToData(raw.cause, depth + 1) : undefined;
    return {
      code,
      name: raw.name,
      message: raw.message,
      hint: typeof raw.hint === 'string' ? raw.hint : undefined,
      where: isLocation(raw.where) ? raw.where : undefined,
      stack: raw.stack,
      cause,
    };
  }
  if (typeof value === 'object' && value !== null && typeof (value as ErrorData).message === 'string') {
    const data = value as Partial<ErrorData>;
    return {
      code: typeof data.code === 'string' ? data.code : 'JOVIAN_E_UNEXPECTED',
      name: typeof data.name === 'string' ? data.name : 'Error',
      message: data.message as string,
      hint: typeof data.hint === 'string' ? data.hint : undefined,
      where: isLocation(data.where) ? data.where : undefined,
    };
  }
  return {
    code: 'JOVIAN_E_UNEXPECTED',
    name: 'Error',
    message: `non-error value thrown: ${describe(value)}`,
  };
}

function isLocation(value: unknown): value is SourceLocation {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SourceLocation).file === 'string' &&
    typeof (value as SourceLocation).line === 'number'
  );
}

function describe(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value;
  }
}

/** `file:line:column` */
export function formatLocation(where: SourceLocation): string {
  return `${where.file}:${where.line}:${where.column}`;
}

/** A multi-line message for people: `[code] where: message` then `hint: …`. */
export function formatError(error: ErrorData | Diagnostic): string {
  const place = error.where ? `${formatLocation(error.where)}: ` : '';
  const head = `${place}${error.message} [${error.code}]`;
  return error.hint ? `${head}\n  hint: ${error.hint}` : head;
}

/** A diagnostic (for doctor and lists) from an error. */
export function errorToDiagnostic(error: unknown, severity: Severity = 'error', plugin?: string): Diagnostic {
  const data = errorToData(error);
  return { code: data.code, severity, message: data.message, hint: data.hint, where: data.where, plugin };
}

/** A diagnostic built straight from a code; the hint defaults to the catalogue's. */
export function diagnostic(
  code: ErrorCode,
  message: string,
  options: { severity?: Severity; hint?: string; where?: SourceLocation; plugin?: string } = {},
): Diagnostic {
  return {
    code,
    severity: options.severity ?? 'error',
    message,
    hint: options.hint ?? ERROR_CATALOGUE[code].hint,
    where: options.where,
    plugin: options.plugin,
  };
}
