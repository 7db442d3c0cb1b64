"""Write Jovian plugins in Python.

One file, standard library only, Python 3.9 or later: ship it next to your plugin's script (or
anywhere on the Python path). It speaks the Jovian plugin protocol (docs/protocol.md) on stdin and
stdout, so your code only declares what the plugin does:

    # plugin.yaml:  runtime: process, main: plugin.py, command: ["python3", "plugin.py"]
    from jovian_plugin import Plugin, PluginError

    plugin = Plugin()

    @plugin.run
    def run(input):
        if not input.get("name"):
            raise PluginError("GREETER_E_NO_NAME", "no name to greet", hint='pass {"name": "Ada"}')
        count = plugin.state.get("count", 0) + 1
        plugin.state.set("count", count)
        plugin.log.info(f"greeting #{count}")
        return {"greeting": f"hello {input['name']}"}

    @plugin.tap("on_chat")
    def on_chat(message):
        plugin.log.info(f"user said {message['content']}")

    if __name__ == "__main__":
        plugin.serve()

How it runs: serve() reads the host's messages on the main thread and runs each call in its own
thread, so a handler may call the host (plugin.state.get, plugin.http.fetch…) and wait for the
answer while other calls go on; writes to stdout are serialised by a lock. Once serve() starts,
print() and anything else written to stdout goes to stderr, which the host copies into the plugin's
log, so a stray print can never break the protocol.

Values cross as JSON: bytes (also bytearray, memoryview) travel as {"$bytes": "<base64>"} and come
back as bytes; datetime and date become ISO 8601 strings; None is null. Other types are refused.
"""

import base64
import datetime
import json
import os
import platform
import signal
import sys
import threading
import traceback

__all__ = ["Job", "Plugin", "PluginError", "Registration"]

MAGIC = "jovian-plugin-protocol"
CORE_PROTOCOL_VERSION = 1
APP_PROTOCOL_VERSION = 1
#: The longest line either end sends or accepts, in bytes, without its newline.
MAX_LINE_BYTES = 16 * 1024 * 1024

#: Exit codes of a plugin process (docs/protocol.md), so the host can tell why it ended.
EXIT_NORMAL = 0
EXIT_HANDSHAKE_REFUSED = 80
EXIT_PROTOCOL_ERROR = 81
EXIT_ENTRY_FAILED = 82
EXIT_HOST_GONE = 83
EXIT_UNCAUGHT = 84


class PluginError(Exception):
    """An error with a stable code, a message and a hint, as the host shows it to people.

    Raise it from a handler to fail the call with your own code; host calls that fail raise it
    with the host's code (JOVIAN_E_PERMISSION_DENIED…).
    """

    def __init__(self, code, message, hint=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    def to_data(self):
        data = {"code": self.code, "name": "PluginError", "message": self.message}
        if self.hint:
            data["hint"] = self.hint
        return data

    @classmethod
    def from_data(cls, data):
        if not isinstance(data, dict):
            return cls("JOVIAN_E_PROTOCOL_ERROR", "malformed error: %r" % (data,))
        return cls(
            str(data.get("code", "JOVIAN_E_UNEXPECTED")),
            str(data.get("message", "")),
            data.get("hint"),
        )

    def __str__(self):
        return "%s [%s]" % (self.message, self.code)


def _error_data(error):
    """Anything raised by a handler, as the error data of a response."""
    if isinstance(error, PluginError):
        return error.to_data()
    return {
        "code": "JOVIAN_E_UNEXPECTED",
        "name": type(error).__name__,
        "message": str(error) or type(error).__name__,
        "stack": "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    }


# — JSON codec ————————————————————————————————————————————————————————————————————————


def _to_json(value):
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise PluginError(
        "JOVIAN_E_NOT_CLONEABLE",
        "a %s cannot be sent as JSON" % type(value).__name__,
        "return plain data: dict, list, str, int, float, bool, None, bytes",
    )


def _from_json(obj):
    if len(obj) == 1 and isinstance(obj.get("$bytes"), str):
        return base64.b64decode(obj["$bytes"])
    return obj


def encode(message):
    """One message as one line of UTF-8 JSON (without the newline)."""
    text = json.dumps(message, default=_to_json, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.encode("utf-8")


def decode(line):
    return json.loads(line.decode("utf-8"), object_hook=_from_json)


# — the channel ———————————————————————————————————————————————————————————————————————


class _Waiter:
    __slots__ = ("done", "result", "error")

    def __init__(self):
        self.done = threading.Event()
        self.result = None
        self.error = None


class _Channel:
    """Requests and responses over a pair of binary streams; every write is one locked line."""

    def __init__(self, reader, writer, cause=lambda: None):
        self._reader = reader
        self._writer = writer
        self._cause = cause  # the id of the host's call being served on this thread, if any
        self._write_lock = threading.Lock()
        self._id_lock = threading.Lock()
        self._next_id = 0
        self._waiters = {}
        self.closed = False

    def next_id(self):
        with self._id_lock:
            self._next_id += 1
            return self._next_id

    def send(self, message):
        line = encode(message)
        if len(line) > MAX_LINE_BYTES:
            raise PluginError(
                "JOVIAN_E_PROTOCOL_MESSAGE_TOO_LARGE",
                "a message of %d bytes is longer than the %d-byte line limit" % (len(line), MAX_LINE_BYTES),
                "send large data in pieces, or write it to a file and pass the path",
            )
        with self._write_lock:
            if self.closed:
                return
            try:
                self._writer.write(line + b"\n")
                self._writer.flush()
            except (BrokenPipeError, OSError):
                self.closed = True

    def request(self, method, params, wait=True):
        """Calls the host. Waits for the answer and returns its result, or raises PluginError."""
        if self.closed:
            raise PluginError("JOVIAN_E_RUNTIME_CLOSED", "%s failed: the host closed the channel" % method)
        request_id = self.next_id()
        waiter = _Waiter() if wait else None
        if waiter:
            self._waiters[request_id] = waiter
        try:
            message = {"id": request_id, "method": method, "params": list(params)}
            cause = self._cause()
            if cause is not None:
                message["cause"] = cause  # the host files it with the work that made that call
            self.send(message)
        except Exception:
            self._waiters.pop(request_id, None)
            raise
        if not waiter:
            return None
        waiter.done.wait()
        if waiter.error is not None:
            raise PluginError.from_data(waiter.error)
        return waiter.result

    def answered(self, message):
        waiter = self._waiters.pop(message.get("id"), None)
        if waiter is None:
            return  # a call that was not waited for (log lines)
        if "error" in message:
            waiter.error = message["error"]
        else:
            waiter.result = message.get("result")
        waiter.done.set()

    def read(self):
        """The next message, or None at the end of the stream. Raises ValueError when it breaks framing."""
        while True:
            line = self._reader.readline(MAX_LINE_BYTES + 1)
            if not line:
                return None
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                raise ValueError("a line from the host is longer than %d bytes" % MAX_LINE_BYTES)
            if line.strip():
                try:
                    message = decode(line)
                except ValueError as error:
                    raise ValueError("a line from the host is not JSON (%s)" % error)
                if not isinstance(message, dict):
                    raise ValueError("a line from the host is not a JSON object")
                return message

    def close(self):
        self.closed = True
        for waiter in list(self._waiters.values()):
            waiter.error = {"code": "JOVIAN_E_RUNTIME_CLOSED", "message": "the host closed the channel"}
            waiter.done.set()
        self._waiters.clear()


# — what a plugin reaches: ctx ————————————————————————————————————————————————————————


class Registration:
    """Something registered with the host (a tap, a subscription); dispose() removes it."""

    def __init__(self, release):
        self._release = release
        self._released = False

    def dispose(self):
        if not self._released:
            self._released = True
            self._release()


class _Log:
    def __init__(self, plugin):
        self._plugin = plugin

    def _write(self, level, message, data):
        params = [level, str(message)] if data is None else [level, str(message), data]
        self._plugin._host_call("log", params, wait=False)

    def debug(self, message, data=None):
        self._write("debug", message, data)

    def info(self, message, data=None):
        self._write("info", message, data)

    def warn(self, message, data=None):
        self._write("warn", message, data)

    warning = warn

    def error(self, message, data=None):
        self._write("error", message, data)


class _Config:
    def __init__(self, plugin):
        self._plugin = plugin

    def get(self, key=None, default=None):
        """One top-level key (or `default`), or the whole effective config without a key."""
        value = self._plugin.call("config.get", key) if key is not None else self._plugin.call("config.get")
        return default if value is None else value

    def set(self, key, value):
        self._plugin.call("config.set", key, value)


class _State:
    def __init__(self, plugin):
        self._plugin = plugin

    def get(self, key, default=None):
        value = self._plugin.call("state.get", key)
        return default if value is None else value

    def set(self, key, value):
        self._plugin.call("state.set", key, value)

    def delete(self, key):
        return self._plugin.call("state.delete", key)

    def keys(self):
        return self._plugin.call("state.keys")


class _Hooks:
    def __init__(self, plugin):
        self._plugin = plugin

    def tap(self, hook, fn):
        """Taps a hook declared in contributes.hooks; fn(*args) returns the new value or None."""
        plugin = self._plugin
        tap_id = plugin._keep(fn)
        try:
            plugin.call("hooks.tap", hook, tap_id)
        except Exception:
            plugin._callbacks.pop(tap_id, None)
            raise

        def untap():
            plugin._callbacks.pop(tap_id, None)
            plugin.call("hooks.untap", hook, tap_id)

        return Registration(untap)


class _Events:
    def __init__(self, plugin):
        self._plugin = plugin

    def emit(self, topic, payload=None):
        self._plugin.call("events.emit", topic, payload)

    def on(self, pattern, fn):
        """Calls fn(event) for each event matching a pattern declared in contributes.events.subscribe."""
        plugin = self._plugin
        subscription_id = plugin._keep(fn)
        try:
            plugin.call("events.subscribe", pattern, subscription_id)
        except Exception:
            plugin._callbacks.pop(subscription_id, None)
            raise

        def unsubscribe():
            plugin._callbacks.pop(subscription_id, None)
            plugin.call("events.unsubscribe", subscription_id)

        return Registration(unsubscribe)


class _RemotePlugin:
    """Another plugin's API: every attribute is a method that calls it through the host."""

    def __init__(self, plugin, plugin_id, methods):
        self._plugin = plugin
        self._id = plugin_id
        self._methods = set(methods)

    def __getattr__(self, name):
        if name not in self._methods:
            raise AttributeError("plugin `%s` has no API method `%s`" % (self._id, name))
        return lambda *args: self._plugin.call("plugins.call", self._id, name, list(args))


class _Plugins:
    def __init__(self, plugin):
        self._plugin = plugin

    def has(self, plugin_id):
        return self._plugin.call("plugins.has", plugin_id)

    def get(self, plugin_id):
        """The API of a plugin listed in dependencies, or None for an absent optional one."""
        methods = self._plugin.call("plugins.describe", plugin_id)
        return None if methods is None else _RemotePlugin(self._plugin, plugin_id, methods)


class _Files:
    def __init__(self, plugin):
        self._plugin = plugin

    def read_file(self, path):
        return self._plugin.call("fs.readFile", path)

    def read_text(self, path, encoding="utf-8"):
        return self.read_file(path).decode(encoding)

    def write_file(self, path, data):
        self._plugin.call("fs.writeFile", path, data)

    def readdir(self, path):
        return self._plugin.call("fs.readdir", path)

    def stat(self, path):
        return self._plugin.call("fs.stat", path)


class _Http:
    def __init__(self, plugin):
        self._plugin = plugin

    def fetch(self, url, method="GET", headers=None, body=None, timeout_ms=None):
        """Returns {"status", "headers", "body" (bytes), "url"}; limited by network_outbound."""
        request = {"method": method}
        if headers:
            request["headers"] = headers
        if body is not None:
            request["body"] = body
        if timeout_ms is not None:
            request["timeoutMs"] = timeout_ms
        return self._plugin.call("http.fetch", url, request)


class _Runner:
    def __init__(self, plugin):
        self._plugin = plugin

    def run(self, command, args=(), cwd=None, timeout_ms=None, input=None):
        """Runs a command granted by run_commands (no shell); returns exitCode, stdout, stderr…"""
        options = {}
        if cwd is not None:
            options["cwd"] = cwd
        if timeout_ms is not None:
            options["timeoutMs"] = timeout_ms
        if input is not None:
            options["input"] = input
        return self._plugin.call("runner.run", command, list(args), options)


class Job:
    """A running job, as its handler receives it: `@plugin.job("build") def build(params, job)`."""

    def __init__(self, plugin, job_id, name):
        self._plugin = plugin
        self.id = job_id
        self.name = name
        #: "cancelled" or "timed_out" once the host asked the job to stop, else None.
        self.stop_reason = None
        self._stop = threading.Event()

    def stopped(self):
        """True once the job was cancelled or passed its deadline: stop soon (raise, or return)."""
        return self._stop.is_set()

    def wait(self, seconds):
        """Sleeps up to `seconds`, waking at once when the job is stopped; returns True if it was."""
        return self._stop.wait(seconds)

    def update_progress(self, percent, message=None, eta_seconds=None):
        """Reports progress (0 to 100), shown live by `jovian jobs watch`, the API and the WebUI."""
        progress = {"percent": percent}
        if message is not None:
            progress["message"] = message
        if eta_seconds is not None:
            progress["etaSeconds"] = eta_seconds
        self._plugin.call("jobs.progress", self.id, progress)


class _Jobs:
    def __init__(self, plugin):
        self._plugin = plugin

    def submit(self, name, params=None):
        """Queues a job of one of this plugin's own handlers; returns its id."""
        return self._plugin.call("jobs.submit", name, {} if params is None else params)


# — the plugin ————————————————————————————————————————————————————————————————————————


class Plugin:
    """A plugin: declare its handlers with the decorators, then call serve()."""

    def __init__(self):
        self.id = None
        self.version = None
        #: {"data", "plugin", "project"}: absolute folders, known once serve() has started.
        self.paths = {}
        self.log = _Log(self)
        self.config = _Config(self)
        self.state = _State(self)
        self.hooks = _Hooks(self)
        self.events = _Events(self)
        self.plugins = _Plugins(self)
        self.fs = _Files(self)
        self.http = _Http(self)
        self.runner = _Runner(self)
        self.jobs = _Jobs(self)
        self._channel = None
        self._current = threading.local()
        self._incoming = {}
        self._callbacks = {}
        self._callback_lock = threading.Lock()
        self._next_callback = 0
        self._on_activate = []
        self._on_deactivate = []
        self._on_config_change = []
        self._run = None
        self._health = None
        self._metrics = None
        self._taps = []
        self._subscriptions = []
        self._contributions = []
        self._api = {}
        self._migrations = {}
        self._job_handlers = {}
        self._running_jobs = {}

    # — decorators —

    def activate(self, fn):
        """fn() runs when the plugin activates, after its decorated taps and handlers are registered."""
        self._on_activate.append(fn)
        return fn

    def deactivate(self, fn):
        self._on_deactivate.append(fn)
        return fn

    def run(self, fn):
        """fn(input) answers `jovian run <id>` and host.run()."""
        self._run = fn
        return fn

    def health(self, fn):
        """fn() returns {"status": "ok" | "degraded" | "failing", "message"?, "details"?}."""
        self._health = fn
        return fn

    def metrics(self, fn):
        """fn() returns {name: number}."""
        self._metrics = fn
        return fn

    def tap(self, hook):
        """@plugin.tap("hook"): fn(*args) is tapped on the hook when the plugin activates."""
        return self._declare(self._taps, hook)

    def on(self, pattern):
        """@plugin.on("topic.pattern"): fn(event) receives matching events once the plugin is active."""
        return self._declare(self._subscriptions, pattern)

    def command(self, name):
        """@plugin.command("name"): fn({"args", "options"}) handles `jovian <name>`."""
        return self._declare(self._contributions, ("command", name))

    def route(self, method, path):
        """@plugin.route("GET", "/items"): fn(request) returns {"status"?, "headers"?, "body"?}."""
        return self._declare(self._contributions, ("route", "%s %s" % (method.upper(), path)))

    def panel(self, panel_id):
        return self._declare(self._contributions, ("panel", panel_id))

    def api(self, fn_or_name):
        """@plugin.api (or @plugin.api("name")): a method other plugins call through ctx.plugins."""
        if callable(fn_or_name):
            self._api[fn_or_name.__name__] = fn_or_name
            return fn_or_name

        def register(fn):
            self._api[fn_or_name] = fn
            return fn

        return register

    def job(self, name):
        """@plugin.job("build"): fn(params, job) runs each job of that handler (declared in
        contributes.jobs.handlers) in a thread of its own; its return value is the job's result."""

        def register(fn):
            self._job_handlers[name] = fn
            return fn

        return register

    def on_config_change(self, fn):
        """fn({"keys", "config"}) runs after each change of the plugin's config."""
        self._on_config_change.append(fn)
        return fn

    def migration(self, version):
        """@plugin.migration(2): fn(previous_config) returns the config for config_schema.version 2."""

        def register(fn):
            self._migrations[int(version)] = fn
            return fn

        return register

    @staticmethod
    def _declare(into, key):
        def register(fn):
            into.append((key, fn))
            return fn

        return register

    # — calling the host —

    def call(self, method, *params):
        """Calls a host method (docs/protocol.md) and returns its result; raises PluginError on failure."""
        return self._host_call(method, params)

    def _host_call(self, method, params, wait=True):
        if self._channel is None:
            raise PluginError("JOVIAN_E_HOST_NOT_STARTED", "%s: plugin.serve() has not started" % method)
        return self._channel.request(method, params, wait)

    def cancelled(self):
        """True once the host has given up on the call being handled: it sends `$/cancel` when the call
        is cancelled or misses its deadline. Long handlers may check it and stop early."""
        call = getattr(self._current, "call", None)
        return call is not None and call.cancelled.is_set()

    def _keep(self, fn):
        with self._callback_lock:
            self._next_callback += 1
            self._callbacks[self._next_callback] = fn
            return self._next_callback

    # — answering the host —

    def _activate(self):
        if self._on_config_change:
            self.call("config.watch")
        for hook, fn in self._taps:
            self.hooks.tap(hook, fn)
        for pattern, fn in self._subscriptions:
            self.events.on(pattern, fn)
        for (kind, key), fn in self._contributions:
            handler_id = self._keep(fn)
            self.call("contributions.register", kind, key, handler_id)
        for name in self._job_handlers:
            self.call("jobs.register", name)
        for fn in self._on_activate:
            fn()

    def _deactivate(self):
        for fn in self._on_deactivate:
            fn()

    def _run_input(self, input=None):
        if self._run is None:
            raise PluginError(
                "JOVIAN_E_RUN_NOT_SUPPORTED",
                "plugin `%s` does not implement run()" % self.id,
                "decorate a function with @plugin.run",
            )
        return self._run(input)

    def _invoke(self, callback_id, args):
        fn = self._callbacks.get(callback_id)
        return None if fn is None else fn(*args)

    def _deliver(self, subscription_id, event):
        fn = self._callbacks.get(subscription_id)
        if fn is not None:
            fn(event)

    def _contribution(self, handler_id, request):
        fn = self._callbacks.get(handler_id)
        if fn is None:
            raise PluginError("JOVIAN_E_CONTRIBUTION_NOT_REGISTERED", "handler %s was removed" % handler_id)
        return fn(request)

    def _api_call(self, method, args):
        fn = self._api.get(method)
        if fn is None:
            raise PluginError("JOVIAN_E_PLUGIN_API_UNAVAILABLE", "plugin `%s` has no API method `%s`" % (self.id, method))
        return fn(*args)

    def _config_changed(self, change):
        for fn in self._on_config_change:
            try:
                fn(change)
            except Exception as error:  # one listener failing must not stop the others
                self.log.error("config change listener failed: %s" % error)

    def _migrate(self, version, previous):
        fn = self._migrations.get(int(version))
        if fn is None:
            raise PluginError("JOVIAN_E_CONFIG_MIGRATION_MISSING", "no migration to version %s" % version)
        return fn(previous)

    def _start_job(self, job):
        handler = self._job_handlers.get(job["name"])
        if handler is None:
            raise PluginError(
                "JOVIAN_E_JOB_NOT_REGISTERED",
                "plugin `%s` has no handler for job `%s`" % (self.id, job["name"]),
                'decorate a function with @plugin.job("%s")' % job["name"],
            )
        running = self._running_jobs[job["id"]] = Job(self, job["id"], job["name"])

        def work():
            try:
                outcome = {"ok": True, "result": handler(job.get("params"), running)}
            except Exception as error:
                outcome = {"ok": False, "error": _error_data(error)}
            finally:
                self._running_jobs.pop(job["id"], None)
            try:
                self.call("jobs.finish", job["id"], outcome)
            except (PluginError, TypeError, ValueError) as error:  # a result JSON cannot carry fails the job
                self.call("jobs.finish", job["id"], {"ok": False, "error": _error_data(error)})

        threading.Thread(target=work, name="job-%s" % job["id"], daemon=True).start()

    def _cancel_job(self, job_id, reason="cancelled"):
        running = self._running_jobs.get(job_id)
        if running is not None:
            running.stop_reason = reason
            running._stop.set()

    def _guest_methods(self):
        return {
            "activate": self._activate,
            "deactivate": self._deactivate,
            "run": self._run_input,
            "health": lambda: self._health() if self._health else None,
            "metrics": lambda: self._metrics() if self._metrics else None,
            "tap.invoke": self._invoke,
            "event.deliver": self._deliver,
            "contribution.invoke": self._contribution,
            "api.describe": lambda: sorted(self._api),
            "api.call": self._api_call,
            "config.changed": self._config_changed,
            "migrations.list": lambda: sorted(self._migrations),
            "migrations.run": self._migrate,
            "job.start": self._start_job,
            "job.cancel": self._cancel_job,
        }

    def _current_call_id(self):
        call = getattr(self._current, "call", None)
        return call.id if call is not None else None

    def _answer(self, methods, message):
        request_id = message["id"]
        call = _Call(request_id)
        self._incoming[request_id] = call
        self._current.call = call
        try:
            method = methods.get(message.get("method"))
            if method is None:
                raise PluginError("JOVIAN_E_PROTOCOL_ERROR", "unknown method `%s`" % message.get("method"))
            result = method(*(message.get("params") or []))
            if not call.cancelled.is_set():
                self._respond(request_id, result)
        except Exception as error:
            if not call.cancelled.is_set():
                self._channel.send({"id": request_id, "error": _error_data(error)})
        finally:
            self._incoming.pop(request_id, None)
            self._current.call = None

    def _respond(self, request_id, result):
        try:
            self._channel.send({"id": request_id, "result": result})
        except (PluginError, TypeError, ValueError) as error:  # a result JSON cannot carry
            data = error.to_data() if isinstance(error, PluginError) else {
                "code": "JOVIAN_E_NOT_CLONEABLE",
                "name": type(error).__name__,
                "message": "the result cannot be sent as JSON: %s" % error,
            }
            self._channel.send({"id": request_id, "error": data})

    # — the loop —

    def serve(self):
        """Talks to the host until it says goodbye; never returns (the process exits with a protocol code)."""
        reader, writer = _take_stdio()
        channel = self._channel = _Channel(reader, writer, self._current_call_id)
        try:
            signal.signal(signal.SIGTERM, lambda *_: _exit(EXIT_NORMAL))
        except ValueError:
            pass  # not the main thread: the host's SIGKILL still ends the process
        try:
            self._handshake(channel)
            self._loop(channel, self._guest_methods())
        except SystemExit:
            raise
        except BaseException:
            traceback.print_exc()
            _exit(EXIT_UNCAUGHT)

    def _handshake(self, channel):
        hello_id = channel.next_id()
        hello = {
            "magic": MAGIC,
            "core": CORE_PROTOCOL_VERSION,
            "app": APP_PROTOCOL_VERSION,
            "capabilities": ["cancel", "ping"],
            "runtime": "python %s" % platform.python_version(),
        }
        channel.send({"id": hello_id, "method": "$/hello", "params": [hello]})
        welcome = self._read(channel)
        if welcome is None:
            _exit(EXIT_HOST_GONE)
        if welcome.get("id") != hello_id or "method" in welcome:
            _fail(EXIT_PROTOCOL_ERROR, "the host's first message is not its welcome: %r" % (welcome,))
        if "error" in welcome:
            _fail(EXIT_HANDSHAKE_REFUSED, "the host refused the plugin: %s" % PluginError.from_data(welcome["error"]))
        info = (welcome.get("result") or {}).get("plugin") or {}
        self.id = info.get("id")
        self.version = info.get("version")
        self.paths = info.get("paths") or {}

    def _loop(self, channel, methods):
        while True:
            message = self._read(channel)
            if message is None:
                channel.close()
                _exit(EXIT_HOST_GONE)
            method = message.get("method")
            if method is None:
                channel.answered(message)
            elif "id" not in message:
                self._notified(channel, method, message.get("params") or [])
            elif method == "$/ping":
                channel.send({"id": message["id"], "result": {}})
            else:
                threading.Thread(target=self._answer, args=(methods, message), daemon=True).start()

    def _notified(self, channel, method, params):
        if method == "$/shutdown":
            channel.close()
            _exit(EXIT_NORMAL)
        elif method == "$/cancel" and params:
            call = self._incoming.get(params[0])
            if call is not None:
                call.cancelled.set()
        elif method == "$/error":
            sys.stderr.write("the host reported a protocol error: %r\n" % (params,))

    @staticmethod
    def _read(channel):
        try:
            return channel.read()
        except ValueError as error:  # not JSON, not an object, too long
            _fail(EXIT_PROTOCOL_ERROR, "protocol error: %s" % error)


class _Call:
    __slots__ = ("cancelled", "id")

    def __init__(self, request_id):
        self.cancelled = threading.Event()
        self.id = request_id


def _take_stdio():
    """Keeps stdin/stdout for the protocol and points fd 0 at /dev/null and fd 1 at stderr, so that
    print(), input() and child processes cannot read or write protocol lines by accident."""
    sys.stdout.flush()
    reader = os.fdopen(os.dup(0), "rb")
    writer = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return reader, writer


def _fail(code, message):
    sys.stderr.write(message + "\n")
    _exit(code)


def _exit(code):
    try:
        sys.stderr.flush()
    finally:
        os._exit(code)
