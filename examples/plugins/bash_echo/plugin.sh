#!/usr/bin/env bash
# bash_echo — a Jovian plugin in Bash that speaks the plugin protocol (docs/protocol.md) itself:
# one JSON message per line on stdin/stdout, read and built with jq.
set -o pipefail

# fd 3 carries protocol lines to the host. Plain stdout goes to stderr, which the host copies into
# the plugin's log, so an `echo` left in by mistake cannot break the protocol.
exec 3>&1 1>&2
trap 'exit 0' TERM

next_id=0
queued=()   # the host's messages that arrived while this script waited for an answer
RESULT=null # the result of the last `call`
FAILURE=null # the error of the last failed `call`

send() { printf '%s\n' "$1" >&3; }

# call METHOD PARAMS_JSON: calls the host and waits for its answer. The result is left in RESULT;
# on failure the error is left in FAILURE and call returns 1.
call() {
  local id=$((next_id += 1)) line answer
  send "{\"id\":$id,\"method\":\"$1\",\"params\":$2}"
  while IFS= read -r line; do
    # One jq per message: "result <json>", "error <json>", or "other" for anything else.
    answer=$(jq -r --argjson id "$id" \
      'if .id == $id and (has("method") | not)
       then (if has("error") then "error \(.error | tojson)" else "result \(.result | tojson)" end)
       else "other" end' <<<"$line")
    case $answer in
      result\ *) RESULT=${answer#result }; return 0 ;;
      error\ *) FAILURE=${answer#error }; return 1 ;;
      *) queued+=("$line") ;;
    esac
  done
  exit 83 # the host went away
}

# log LEVEL MESSAGE: writes to the plugin's log without waiting for the answer.
log() {
  send "$(jq -cn --argjson id "$((next_id += 1))" --arg level "$1" --arg message "$2" \
    '{id: $id, method: "log", params: [$level, $message]}')"
}

respond() { send "{\"id\":$1,\"result\":$2}"; } # ID RESULT_JSON

fail() { send "{\"id\":$1,\"error\":$2}"; } # ID ERROR_JSON

plugin_error() { # CODE MESSAGE HINT
  jq -cn --arg code "$1" --arg message "$2" --arg hint "$3" \
    '{code: $code, name: "PluginError", message: $message, hint: $hint}'
}

on_activate() {
  call hooks.tap '["on_automation", 1]' || return 1
  log info "bash_echo is ready (bash $BASH_VERSION)"
  RESULT=null
}

on_run() { # REQUEST_LINE
  local text count
  text=$(jq -r '(.params[0] // {}).text // "" | if type == "string" then . else "" end' <<<"$1")
  if [[ -z ${text//[[:space:]]/} ]]; then
    FAILURE=$(plugin_error BASH_ECHO_E_NO_TEXT "there is no text to echo" 'pass {"text": "something"}')
    return 1
  fi
  call state.get '["count"]' || return 1
  count=$(jq -n --argjson count "$RESULT" '($count // 0) + 1')
  call state.set "[\"count\", $count]" || return 1
  log info "echoed ${#text} characters"
  RESULT=$(jq -cn --arg text "$text" --argjson count "$count" '{echo: $text, count: $count}')
}

on_tap() { # REQUEST_LINE — params: [tapId, [automation]]
  local automation
  automation=$(jq -c '.params[1][0]' <<<"$1")
  call state.set "[\"last_automation\", $automation]" || return 1
  log info "$(jq -r '"automation \(.name) is \(.status)"' <<<"$automation")"
  RESULT=null
}

handle() { # LINE
  local id method
  IFS=$'\t' read -r id method < <(jq -r '[(.id | if . == null then "" else tostring end), (.method // "")] | @tsv' <<<"$1")
  if [[ -z $method ]]; then return; fi # an answer nobody waits for (log lines)
  if [[ -z $id ]]; then                # a notification
    [[ $method == '$/shutdown' ]] && exit 0
    return
  fi
  RESULT=null
  case $method in
    '$/ping') RESULT='{}' ;;
    migrations.list | api.describe) RESULT='[]' ;;
    activate) on_activate || { fail "$id" "$FAILURE"; return; } ;;
    run) on_run "$1" || { fail "$id" "$FAILURE"; return; } ;;
    tap.invoke) on_tap "$1" || { fail "$id" "$FAILURE"; return; } ;;
    deactivate | health | metrics) ;;
    *)
      fail "$id" "$(plugin_error JOVIAN_E_PROTOCOL_ERROR "bash_echo does not handle \`$method\`" 'see docs/protocol.md')"
      return
      ;;
  esac
  respond "$id" "$RESULT"
}

hello='[{"magic": "jovian-plugin-protocol", "core": 1, "app": 1, "capabilities": [], "runtime": "bash"}]'
if ! call '$/hello' "$hello"; then
  jq -r '"the host refused this plugin: \(.message)"' <<<"$FAILURE"
  exit 80
fi

while :; do
  if ((${#queued[@]} > 0)); then
    line=${queued[0]}
    queued=("${queued[@]:1}")
  elif ! IFS= read -r line; then
    exit 83 # the host went away without $/shutdown
  fi
  [[ -n $line ]] && handle "$line"
done
