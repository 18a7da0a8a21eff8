// The commands the macOS backend runs, as argv arrays with absolute paths (no shell). Their names are
// raw source names, so also the file names in a capture bundle: keep them stable.
import type { CommandSpec } from '../command-source.js';
import { DARWIN_SYSCTL } from '../parse/darwin-sysctl.js';

/** Raw source names of the macOS backend. */
export const DARWIN_SOURCES = {
  sockets: 'netstat-anv-tcp',
  sysctl: 'sysctl-net-inet',
  processes: 'ps-processes',
  tcpStats: 'netstat-s-tcp',
  hostname: 'hostname',
} as const;

/** Where the programs are on every macOS release. */
export const DARWIN_PROGRAMS = { netstat: '/usr/sbin/netstat', sysctl: '/usr/sbin/sysctl', ps: '/bin/ps' } as const;

/**
 * The socket table. `-l` prints IPv6 addresses whole: without it netstat cuts them to 16 characters
 * (network_cmds inet6.c inet6print), which would merge distinct destinations.
 */
export const NETSTAT_SOCKETS: CommandSpec = {
  name: DARWIN_SOURCES.sockets,
  file: DARWIN_PROGRAMS.netstat,
  args: ['-anvl', '-p', 'tcp'],
};

/** The same without -l, for a netstat that refuses it (IPv6 addresses may then be cut short). */
export const NETSTAT_SOCKETS_WITHOUT_L: CommandSpec = { ...NETSTAT_SOCKETS, args: ['-anv', '-p', 'tcp'] };

/** The range and the MSL in one run; sysctl exits 1 when it does not know a key but prints the others. */
export const SYSCTL_NET_INET: CommandSpec = {
  name: DARWIN_SOURCES.sysctl,
  file: DARWIN_PROGRAMS.sysctl,
  args: [DARWIN_SYSCTL.first, DARWIN_SYSCTL.last, DARWIN_SYSCTL.hifirst, DARWIN_SYSCTL.hilast, DARWIN_SYSCTL.msl],
  okExitCodes: [0, 1],
};

/** Process names for the pids netstat prints (before macOS 26 it prints no names). */
export const PS_PROCESSES: CommandSpec = { name: DARWIN_SOURCES.processes, file: DARWIN_PROGRAMS.ps, args: ['-axo', 'pid=,comm='] };

/** TCP counters (connection requests = ActiveOpens); cheap enough for the 1 Hz tick. */
export const NETSTAT_TCP_STATS: CommandSpec = { name: DARWIN_SOURCES.tcpStats, file: DARWIN_PROGRAMS.netstat, args: ['-s', '-p', 'tcp'] };
