// The one fixed POSIX sh script that changes a remote Linux host's ephemeral port settings, as root,
// with no Portwatch installed there. It runs in a terminal over `ssh -t` (so sudo can ask for a password
// there), which leaves no stdin for the script: the script travels inside the command line instead, as
// base64 (letters, digits, + / =), so that whatever login shell the remote user has (sh, bash, zsh, fish,
// csh) sees only plain words: `sudo -- sh -c 'B=…; eval "$(…)"' portwatch-tune VERB ARG…`. Every ARG is a
// number, a transaction id or one of the fixed words below, checked here and again by the script.
//
// The script installs itself in a root-only directory (/var/lib/portwatch-remote, 0700) so that the
// keep-or-revert countdown can run it again on the remote host after the connection is gone: a transient
// `systemd-run --on-active=N` unit when systemd is PID 1 there, else a detached `setsid nohup` sleeper.
// Each network namespace has its own directory (its sysctls are its own): the old values of every key it
// touches (kept byte for byte), the drop-in as it was, the state (awaiting-confirm, kept, reverted), the
// deadline. The keep step (confirm) marks the change kept and cancels the countdown; a revert writes the
// old values back in reverse order and restores the drop-in exactly. One lock (flock) orders them.
import { createHash } from 'node:crypto';
import { DROP_IN_PATH, HELPER_RESULT_PREFIX } from '../../common/tuning.js';
import { DROP_IN_HEADER } from '../../helper/drop-in.js';

/** Root-only directory on the remote host that holds the installed script and each namespace's state. */
export const REMOTE_TUNE_DIR = '/var/lib/portwatch-remote';
/** The name the script runs under ($0): shows in `ps` on the remote host. */
export const REMOTE_TUNE_NAME = 'portwatch-tune';

// The script itself. Rules (checked by test/remote/remote-tune-script.test.ts): POSIX sh only, no single
// quote anywhere (it could not travel inside one), and it prints exactly one PORTWATCH-HELPER-RESULT line
// per run, in the local helper's format, so the same session code reads it.
const BODY = `set -u
umask 077
LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin; export PATH
S=${REMOTE_TUNE_DIR}
D=${DROP_IN_PATH}
P=/proc/sys/net/ipv4
KEYS="ip_local_reserved_ports ip_local_port_range tcp_tw_reuse tcp_tw_reuse_delay"
RKEYS="tcp_tw_reuse_delay tcp_tw_reuse ip_local_port_range ip_local_reserved_ports"
verb=\${1:-}
[ $# -gt 0 ] && shift
say() { printf "portwatch (remote): %s\\n" "$*"; }
# jv FILE: a value file as JSON string content (kernel text is digits, commas, dashes, spaces, tabs).
jv() { if [ -f "$1" ]; then tr "\\t\\n" "  " < "$1" | tr -c "0-9, -" "?" | sed "s/ *$//"; fi; }
jstr() { if [ -f "$1" ]; then printf "\\"%s\\"" "$(jv "$1")"; else printf null; fi; }
# result OUTCOME EXIT MESSAGE: the one machine-readable line, then exit.
result() {
  out=$1; code=$2; shift 2
  changes=""
  if [ -n "\${T:-}" ] && [ -f "$T/keys" ]; then
    for k in $(cat "$T/keys"); do
      [ -n "$changes" ] && changes="$changes,"
      changes="$changes{\\"key\\":\\"net.ipv4.$k\\",\\"before\\":$(jstr "$T/old.$k"),\\"wanted\\":\\"$(jv "$T/new.$k")\\",\\"now\\":$(jstr "$P/$k")}"
    done
  fi
  txid=null; deadline=null; dropin=null
  if [ -n "\${T:-}" ] && [ -f "$T/txid" ]; then txid="\\"$(tr -dc "0-9A-Za-z-" < "$T/txid")\\""; fi
  if [ -n "\${T:-}" ] && [ -f "$T/deadline" ] && [ "$out" = awaiting-confirm ]; then deadline="$(tr -dc 0-9 < "$T/deadline")000"; fi
  if [ -n "\${dropchanged:-}" ]; then dropin="{\\"path\\":\\"$D\\",\\"changed\\":$dropchanged}"; fi
  printf "\\n${HELPER_RESULT_PREFIX}{\\"schema\\":1,\\"verb\\":\\"%s\\",\\"outcome\\":\\"%s\\",\\"message\\":\\"%s\\",\\"txid\\":%s,\\"changes\\":[%s],\\"dropIn\\":%s,\\"overrides\\":[],\\"deadline\\":%s,\\"transaction\\":null,\\"history\\":[]}\\n" "$rverb" "$out" "$*" "$txid" "$changes" "$dropin" "$deadline"
  exit "$code"
}
case "$verb" in apply|confirm|revert|status|expire) rverb=$verb ;; *) rverb=status; result refused 64 "unknown verb" ;; esac
[ "$rverb" = expire ] && rverb=revert
T=""
[ "$(id -u)" = 0 ] || result refused 64 "not root on the remote host: Portwatch runs this script through sudo there"
ns=$(readlink /proc/self/ns/net | tr -dc 0-9)
[ -n "$ns" ] || result failed 70 "cannot read the network namespace of the remote shell"
T="$S/net-$ns"
mkdir -p "$T" && chmod 700 "$S" "$T" || result failed 70 "cannot create $T"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$T/lock"
  flock -w 30 9 || result refused 64 "another Portwatch change holds the lock on this host"
fi
state() { if [ -f "$T/state" ]; then tr -dc a-z- < "$T/state"; fi; }
curtx() { if [ -f "$T/txid" ]; then tr -dc 0-9A-Za-z- < "$T/txid"; fi; }
setstate() { printf "%s\\n" "$1" > "$T/state.new" && mv -f "$T/state.new" "$T/state"; }
same() { [ "$(tr -s "\\t\\n " "   " < "$1" | sed "s/^ *//; s/ *$//")" = "$(tr -s "\\t\\n " "   " < "$2" | sed "s/^ *//; s/ *$//")" ]; }
# cancel: stop the countdown (the unit, or the sleeper whose command line names this transaction).
cancel() {
  if [ -f "$T/unit" ]; then systemctl stop "$(tr -dc "0-9A-Za-z._-" < "$T/unit")" >/dev/null 2>&1; rm -f "$T/unit"; fi
  if [ -f "$T/timer.pid" ]; then
    pid=$(tr -dc 0-9 < "$T/timer.pid")
    # (not when the countdown itself is reverting: it would end itself)
    if [ -n "$pid" ] && [ "$pid" != "$$" ] && tr "\\0" " " 2>/dev/null < "/proc/$pid/cmdline" | grep -q -- "$(curtx)"; then kill "$pid" 2>/dev/null; fi
    rm -f "$T/timer.pid"
  fi
}
# undo: the old values back in reverse write order, the drop-in back as it was (or gone), checked.
undo() {
  for k in $RKEYS; do
    if [ -f "$T/old.$k" ]; then cat "$T/old.$k" > "$P/$k" 2>/dev/null; fi
  done
  if [ -f "$T/dropin.absent" ]; then rm -f "$D"
  elif [ -f "$T/dropin.old" ]; then cp "$T/dropin.old" "$D.portwatch-new" && sync && mv -f "$D.portwatch-new" "$D"
  fi
  dropchanged=true
  bad=""
  for k in $(cat "$T/keys"); do same "$T/old.$k" "$P/$k" || bad="$bad $k"; done
  [ -z "$bad" ]
}
# A countdown whose timer is gone (the host rebooted, the sleeper was killed) is settled first: reverted.
overdue() { case "$(state)" in awaiting-confirm|applying) ;; *) return 1 ;; esac && [ -f "$T/deadline" ] && [ "$(date +%s)" -gt $(( $(tr -dc 0-9 < "$T/deadline") + 5 )) ]; }
if [ "$verb" != expire ] && overdue; then
  cancel
  if undo; then setstate reverted; say "transaction $(curtx) was past its countdown: reverted"; else setstate failed; fi
  dropchanged=""
fi
case "$verb" in
status)
  s=$(state)
  [ -n "$s" ] || result status 0 "no Portwatch change on this host (this network namespace)"
  result status 0 "transaction $(curtx) is $s"
  ;;
confirm)
  want=\${1:-}
  [ "$want" = "$(curtx)" ] || result refused 64 "no such transaction on this host"
  case "$(state)" in
  awaiting-confirm) setstate kept; cancel; result kept 0 "Kept: the new values stay (the countdown on the remote host was cancelled)." ;;
  kept) result kept 0 "Already kept." ;;
  *) result reverted 1 "Too late to keep: the remote host already put the old values back." ;;
  esac
  ;;
revert|expire)
  want=\${1:-}
  [ "$want" = "$(curtx)" ] || result refused 64 "no such transaction on this host"
  if [ "$verb" = expire ]; then
    # The countdown: sleep first (lock released meanwhile), then revert unless kept by then.
    if [ -n "\${2:-}" ]; then flock -u 9 2>/dev/null; sleep "$2"; flock -w 30 9 2>/dev/null; fi
    [ "$want" = "$(curtx)" ] && [ "$(state)" = awaiting-confirm ] || result status 0 "nothing to revert: the change was kept or already reverted"
  fi
  case "$(state)" in
  awaiting-confirm|kept)
    cancel
    if undo; then setstate reverted; result reverted 1 "Reverted: the old values and the drop-in are back."; fi
    setstate failed; result failed 70 "the old values did not all read back after the revert"
    ;;
  *) result reverted 1 "Already reverted." ;;
  esac
  ;;
apply)
  # A lost connection or Ctrl-C must not stop it half-way: it runs to the armed countdown (or a rollback).
  trap "" HUP INT
  timeout=\${1:-}; txid=\${2:-}
  [ $# -ge 2 ] && shift 2
  case "$timeout" in ""|*[!0-9]*) result refused 64 "the countdown is not a number" ;; esac
  [ "$timeout" -ge 1 ] && [ "$timeout" -le 3600 ] || result refused 64 "the countdown must be 1 to 3600 s"
  case "$txid" in ""|*[!0-9A-Za-z-]*) result refused 64 "bad transaction id" ;; esac
  if [ "$(state)" = awaiting-confirm ]; then
    result refused 64 "transaction $(curtx) awaits keep or revert on this host: finish it first"
  fi
  new=$(mktemp -d "$T/incoming.XXXXXX") || result failed 70 "cannot create a directory in $T"
  keys=""
  while [ $# -gt 0 ]; do
    case "$1" in
    range)
      case "\${2:-x}\${3:-x}" in *[!0-9]*) result refused 64 "range: not two numbers" ;; esac
      [ "$2" -ge 1024 ] && [ "$3" -le 65535 ] && [ "$2" -lt "$3" ] || result refused 64 "range: out of bounds"
      printf "%s\\t%s\\n" "$2" "$3" > "$new/ip_local_port_range"; keys="$keys ip_local_port_range"; shift 3 ;;
    reserved)
      case "\${2:-}" in none) : > "$new/ip_local_reserved_ports" ;; ""|*[!0-9,-]*) result refused 64 "reserved: not a list of ports" ;; *) printf "%s\\n" "$2" > "$new/ip_local_reserved_ports" ;; esac
      keys="$keys ip_local_reserved_ports"; shift 2 ;;
    twreuse)
      case "\${2:-}" in 1|2) printf "%s\\n" "$2" > "$new/tcp_tw_reuse" ;; *) result refused 64 "twreuse: must be 1 or 2" ;; esac
      keys="$keys tcp_tw_reuse"; shift 2 ;;
    twdelay)
      case "\${2:-x}" in *[!0-9]*) result refused 64 "twdelay: not a number" ;; esac
      [ "$2" -ge 1 ] && [ "$2" -le 60000 ] || result refused 64 "twdelay: out of bounds"
      printf "%s\\n" "$2" > "$new/tcp_tw_reuse_delay"; keys="$keys tcp_tw_reuse_delay"; shift 2 ;;
    *) result refused 64 "unknown setting" ;;
    esac
  done
  [ -n "$keys" ] || result refused 64 "no setting to apply"
  for k in $keys; do [ -f "$P/$k" ] || result refused 64 "this kernel has no net.ipv4.$k"; done
  # A new transaction: forget the previous one, save every old value and the drop-in as it is.
  rm -f "$T"/old.* "$T"/new.* "$T/keys" "$T/dropin.old" "$T/dropin.absent" "$T/unit" "$T/timer.pid" 2>/dev/null
  for k in $KEYS; do case " $keys " in *" $k "*) cat "$P/$k" > "$T/old.$k"; mv -f "$new/$k" "$T/new.$k" ;; esac; done
  rmdir "$new" 2>/dev/null
  printf "%s\\n" "$txid" > "$T/txid"
  ordered=""; for k in $KEYS; do case " $keys " in *" $k "*) ordered="$ordered $k" ;; esac; done
  printf "%s\\n" "$ordered" > "$T/keys"
  if [ -f "$D" ]; then cp "$D" "$T/dropin.old"; else : > "$T/dropin.absent"; fi
  echo $(( $(date +%s) + timeout )) > "$T/deadline"
  setstate applying
  sync
  changed=""
  for k in $ordered; do
    if same "$T/old.$k" "$T/new.$k"; then continue; fi
    say "writing net.ipv4.$k"
    if ! cat "$T/new.$k" > "$P/$k" 2>/dev/null || ! same "$T/new.$k" "$P/$k"; then
      undo; setstate rolled-back; result rolled-back 70 "the kernel refused or changed net.ipv4.$k: everything written was put back"
    fi
    changed="$changed $k"
  done
  # The drop-in, byte for byte what the local helper writes (drop-in.ts renderDropIn): each key's first
  # line replaced in place, its later duplicates dropped, the others kept, missing keys appended in order.
  for k in $ordered; do printf "net.ipv4.%s\\tnet.ipv4.%s = %s\\n" "$k" "$k" "$(jv "$T/new.$k")"; done > "$T/lines"
  tmp="$D.portwatch-new"
  {
    if [ -f "$D" ]; then
      awk -F '\\t' '
        NR == FNR { want[$1] = $2; order[++n] = $1; next }
        {
          l = $0; sub(/^[ \\t]+/, "", l); c = substr(l, 1, 1)
          if (l == "" || c == "#" || c == ";" || c == "!") { print; next }
          if (c == "-") { l = substr(l, 2); sub(/^[ \\t]+/, "", l) }
          e = index(l, "="); if (e <= 1) { print; next }
          k = substr(l, 1, e - 1); sub(/[ \\t]+$/, "", k)
          s = index(k, "/"); d = index(k, ".")
          if (s > 0 && (d == 0 || s < d)) { gsub(/\\./, "\\001", k); gsub(/\\//, ".", k); gsub(/\\001/, "/", k) }
          if (k in want) { if (!(k in done)) print want[k]; done[k] = 1; next }
          print
        }
        END { for (i = 1; i <= n; i++) if (!(order[i] in done)) print want[order[i]] }
      ' "$T/lines" "$D"
    else
      cat <<\\PORTWATCH_HEADER
${DROP_IN_HEADER.trimEnd()}
PORTWATCH_HEADER
      cut -f 2 "$T/lines"
    fi
  } > "$tmp" && chmod 644 "$tmp" && sync && mv -f "$tmp" "$D" || { undo; setstate rolled-back; result rolled-back 70 "cannot write $D: everything written was put back"; }
  if [ -f "$T/dropin.old" ] && cmp -s "$T/dropin.old" "$D"; then dropchanged=false; else dropchanged=true; fi
  if [ -z "$changed" ] && [ "$dropchanged" = false ]; then setstate kept; result unchanged 0 "Every value was already in effect and persisted: nothing was written."; fi
  # The countdown, held on this host: it reverts even if the connection or the laptop goes away.
  setstate awaiting-confirm
  unit="portwatch-revert-$txid"
  if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1 && systemd-run --quiet --unit="$unit" --on-active="\${timeout}s" --timer-property=AccuracySec=1s /bin/sh "$S/tune.sh" expire "$txid" >/dev/null 2>&1; then
    echo "$unit.timer" > "$T/unit"
    how="a transient systemd timer ($unit.timer)"
  else
    if command -v setsid >/dev/null 2>&1; then
      setsid nohup /bin/sh "$S/tune.sh" expire "$txid" "$timeout" </dev/null >/dev/null 2>&1 9>&- &
    else
      nohup /bin/sh "$S/tune.sh" expire "$txid" "$timeout" </dev/null >/dev/null 2>&1 9>&- &
    fi
    echo $! > "$T/timer.pid"
    how="a detached sleeper (pid $!)"
  fi
  say "the countdown runs on this host: $how reverts in $timeout s unless kept"
  result awaiting-confirm 0 "Applied and persisted on the remote host; it reverts by itself in $timeout s unless kept."
  ;;
esac
`;

// The wrapper the login shell runs: installs BODY as $S/tune.sh (so the countdown can run it later), then
// runs it with the arguments. B is the base64 of BODY.
function wrapper(b64: string): string {
  return `B=${b64}; umask 077; mkdir -p ${REMOTE_TUNE_DIR} && chmod 700 ${REMOTE_TUNE_DIR} && printf %s "$B" | base64 -d > ${REMOTE_TUNE_DIR}/tune.sh.new && mv -f ${REMOTE_TUNE_DIR}/tune.sh.new ${REMOTE_TUNE_DIR}/tune.sh && exec /bin/sh ${REMOTE_TUNE_DIR}/tune.sh "$@"; printf "\\n${HELPER_RESULT_PREFIX}%s\\n" "{\\"schema\\":1,\\"verb\\":null,\\"outcome\\":\\"refused\\",\\"message\\":\\"cannot install the script in ${REMOTE_TUNE_DIR} (not root?)\\",\\"txid\\":null,\\"changes\\":[],\\"dropIn\\":null,\\"overrides\\":[],\\"deadline\\":null,\\"transaction\\":null,\\"history\\":[]}"; exit 64`;
}

/** The script text (constant). */
export const REMOTE_TUNE_SCRIPT = BODY;
/** The one-line wrapper, quoted once for the remote login shell (no quote or backslash inside). */
export const REMOTE_TUNE_WRAPPER = wrapper(Buffer.from(BODY, 'utf8').toString('base64'));
/** sha256 of the script, shown in place of the base64 when a command is displayed. */
export const REMOTE_TUNE_SCRIPT_SHA256 = createHash('sha256').update(BODY).digest('hex');
