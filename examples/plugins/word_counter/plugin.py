"""word_counter — a Jovian plugin written in Python.

The host starts `python3 -B plugin.py` (see plugin.yaml) and talks to it on stdin/stdout; the
helper jovian_plugin.py speaks the protocol, so this file only says what the plugin does.
"""

import sys
from pathlib import Path

try:
    # A published plugin ships jovian_plugin.py (one file, standard library only) next to this one.
    from jovian_plugin import Plugin, PluginError
except ImportError:
    # Inside the Jovian repository, use its copy: examples/plugins/word_counter → sdk/python.
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "sdk" / "python"))
    from jovian_plugin import Plugin, PluginError

plugin = Plugin()


def count(text):
    words = text.split()
    return {
        "words": len(words),
        "characters": len(text),
        "longest": max(words, key=len) if words else None,
    }


@plugin.activate
def ready():
    plugin.log.info("word_counter is ready (Python %d.%d)" % sys.version_info[:2])


@plugin.run
def run(input):
    text = (input or {}).get("text", "")
    if not isinstance(text, str) or not text.strip():
        raise PluginError("WORD_COUNTER_E_NO_TEXT", "there is no text to count", hint='pass {"text": "some words"}')
    runs = plugin.state.get("runs", 0) + 1
    plugin.state.set("runs", runs)
    result = count(text)
    plugin.log.info("counted %d words" % result["words"])
    return {**result, "runs": runs}


@plugin.tap("on_automation")
def automation_ran(automation):
    plugin.state.set("last_automation", automation)
    plugin.log.info("automation %s is %s" % (automation["name"], automation["status"]))


@plugin.command("count-words")
def count_words(invocation):
    result = count(" ".join(invocation["args"]))
    return "%d words, %d characters" % (result["words"], result["characters"])


if __name__ == "__main__":
    plugin.serve()
