// The one fixed POSIX sh script a remote sample runs. It is sent on ssh's standard input to `sh -s MODE`
// (MODE is "full" or "tick", chosen from this file, never from the user), so the login shell only ever
// sees the fixed words "sh -s full" and nothing the user typed is interpolated into any shell string.
//
import { NETSTAT_TCP_STATS, PS_PROCESSES, SYSCTL_NET_INET } from '../platform/darwin/commands.js';
import type { CommandSpec } from '../platform/command-source.js';

// Output framing (one line each): "@portwatch-remote 1 <uname -s>", then per source "@src NAME", its
// output with every line prefixed by one space (so no output can fake a frame line), "@end NAME STATUS";
// "@missing NAME" / "@unreadable NAME" for a file that does not exist or cannot be read (file frames are
// named by their path); "@unsupported OS"; and "@done" last.

/** Version of the framing (first line). */
export const REMOTE_FRAMING_VERSION = 1;

/** What a remote read asks for: every source, or only the cheap counters. */
export type RemoteMode = 'full' | 'tick';

/** A read of the facts a tuning plan needs besides a sample (sysctl files, container evidence). */
export type RemoteScriptMode = RemoteMode | 'tune';

/** The remote command line (fixed words): the script itself comes on standard input. */
export function remoteCommand(mode: RemoteScriptMode): string[] {
  return ['sh', '-s', mode];
}

/** The Linux sysctl keys read remotely (source names as the local Linux backend's). */
export const REMOTE_LINUX_SYSCTLS: readonly string[] = [
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_tw_reuse',
  'net.ipv4.tcp_tw_reuse_delay',
  'net.ipv4.tcp_timestamps',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_max_tw_buckets',
  'net.netfilter.nf_conntrack_count',
  'net.netfilter.nf_conntrack_max',
];

/** A macOS backend command as a script line (its words are fixed and shell-safe; a test checks). */
function darwinLine(c: CommandSpec): string {
  return `  src ${c.name} ${[c.file, ...c.args].join(' ')}`;
}

/** Every word the script gets from the macOS command table (checked shell-safe by a test). */
export const DARWIN_SCRIPT_WORDS: readonly string[] = [NETSTAT_TCP_STATS, SYSCTL_NET_INET, PS_PROCESSES].flatMap((c) => [c.name, c.file, ...c.args]);

/** The Linux files a read takes (raw source name → path), the same names as the local Linux backend's. */
export const LINUX_FILE_PATHS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(REMOTE_LINUX_SYSCTLS.map((k) => [k, `/proc/sys/${k.replaceAll('.', '/')}`])),
  'proc-net-sockstat': '/proc/net/sockstat',
  'proc-net-snmp': '/proc/net/snmp',
  'proc-net-netstat': '/proc/net/netstat',
  hostname: '/proc/sys/kernel/hostname',
  'proc-net-tcp': '/proc/net/tcp',
  'proc-net-tcp6': '/proc/net/tcp6',
};
/** The files of a counters-only read. */
export const LINUX_TICK_FILES: readonly string[] = ['proc-net-sockstat', 'proc-net-snmp'];
/** The files of a full read. */
export const LINUX_FULL_FILES: readonly string[] = Object.keys(LINUX_FILE_PATHS);

/** What a tuning plan reads besides a sample: every sysctl configuration file (the boot order of
 * sysctl-boot-order.ts) and the cgroups that tell a container (environment.ts); globs expand remotely. */
export const TUNE_FACT_FILES: readonly string[] = [
  '/etc/sysctl.d/*.conf',
  '/run/sysctl.d/*.conf',
  '/usr/local/lib/sysctl.d/*.conf',
  '/usr/lib/sysctl.d/*.conf',
  '/lib/sysctl.d/*.conf',
  '/etc/sysctl.conf',
  '/proc/1/cgroup',
  '/proc/self/cgroup',
];

function linuxPaths(names: readonly string[]): string {
  return names.map((n) => LINUX_FILE_PATHS[n]).join(' ');
}

/** The script (constant text). */
export const REMOTE_SCRIPT = `LC_ALL=C; export LC_ALL
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
mode=$1
exec 3>&1
# src NAME CMD...: runs CMD, each output line prefixed by a space; its exit status comes back on fd 4
# through the command substitution, which also waits until awk has written everything.
src() {
  n=$1; shift
  printf '@src %s\\n' "$n"
  rc=$( { { "$@" 2>/dev/null; echo $? >&4; } | awk '{ print " " $0 }' >&3; } 4>&1 )
  printf '@end %s %s\\n' "$n" "$rc"
}
# files PATH...: every readable file framed by one awk (one process, not one per file); each frame is
# named by its path; @missing / @unreadable for the others.
files() {
  list=''
  for p in "$@"; do
    if [ -r "$p" ]; then list="$list $p"
    elif [ -e "$p" ]; then printf '@unreadable %s\\n' "$p"
    else printf '@missing %s\\n' "$p"; fi
  done
  [ -z "$list" ] || awk 'FNR == 1 { if (NR > 1) print "@end " f " 0"; f = FILENAME; print "@src " f } { print " " $0 } END { if (NR > 0) print "@end " f " 0" }' $list
}
# ls lists several directories with a "DIR:" header each; /dev/null makes it several even when one process is left.
fdlinks() { ls -lq /dev/null /proc/[0-9]*/fd/; }
comms() { head -n 1 /dev/null /proc/[0-9]*/comm; }
darwin_sockets() { /usr/sbin/netstat -anvl -p tcp 2>/dev/null || /usr/sbin/netstat -anv -p tcp; }
os=$(uname -s 2>/dev/null)
printf '@portwatch-remote ${REMOTE_FRAMING_VERSION} %s\\n' "$os"
case "$os/$mode" in
Linux/tick)
  files ${linuxPaths(LINUX_TICK_FILES)}
  ;;
Linux/full)
  files ${linuxPaths(LINUX_FULL_FILES)}
  src netns readlink /proc/self/ns/net
  src uid id -u
  src fd-links fdlinks
  src comm comms
  ;;
Linux/tune)
  files ${TUNE_FACT_FILES.join(' ')}
  src dockerenv test -e /.dockerenv
  src containerenv test -e /run/.containerenv
  ;;
Darwin/tick)
${darwinLine(NETSTAT_TCP_STATS)}
  ;;
Darwin/full)
  src netstat-anv-tcp darwin_sockets
${darwinLine(SYSCTL_NET_INET)}
${darwinLine(NETSTAT_TCP_STATS)}
${darwinLine(PS_PROCESSES)}
  src hostname hostname
  ;;
*)
  printf '@unsupported %s\\n' "$os"
  ;;
esac
printf '@done\\n'
`;
