// The flags of `portwatch serve`, parsed strictly: an unknown flag or a bad value is named in the error.
import { parseArgs } from 'node:util';
import { isLoopback } from './origin-check.js';
import { checkSshConfigPath, isSshTargetError, parseSshTarget } from '../node/remote/ssh-target.js';

/** What serve was asked to do. */
export interface ServeOptions {
  host: string;
  /** 0: a random free port. */
  port: number;
  open: boolean;
  metricsPublic: boolean;
  /** Only /metrics: no dashboard, no WebSocket (token optional on loopback). */
  metricsOnly?: boolean;
  allowRemote: boolean;
  /** More Host names to answer to (e.g. the machine's name when bound to 0.0.0.0 with --allow-remote). */
  allowHosts: string[];
  /** Write the token to this file (mode 0600) for scrapers and scripts. */
  tokenFile: string | null;
  /** Accept the wizard's state-changing requests (apply, keep, revert) from the dashboard page; off by default. */
  allowApply?: boolean;
  /** Plan for this network namespace even when it looks like a container. */
  assumeHost?: boolean;
  /** --netns: "host" (every namespace in /metrics), "self", or undefined (host when root on the host). */
  netns?: string;
  /** Remote hosts to watch over SSH ("[user@]host[:port]"), each on its own dashboard; empty: this machine. */
  ssh?: string[];
  /** `ssh -F FILE` for those hosts. */
  sshConfig?: string | null;
  /** false (--no-failure-tracer): do not run the connect-failure tracer (bpftrace) even where it could run. */
  failureTracer?: boolean;
  /** --trace-syscalls: the tracer on the syscall tracepoints (bind() failures too, at a cost to every syscall). */
  traceSyscalls?: boolean;
  help: boolean;
}

export const SERVE_USAGE = `Usage: portwatch serve [options]

The live dashboard, the contract over a WebSocket (/ws) and Prometheus metrics (/metrics).
Read-only unless --allow-apply. Prints the URL to open; it carries a per-launch token that guards everything.

Options:
  --port N           Port to listen on (default: a random free port)
  --host ADDR        Address to bind (default 127.0.0.1)
  --allow-remote     Required to bind an address that is not loopback
  --allow-host NAME  Also answer to this Host name (repeatable; e.g. the name clients use
                     with --host 0.0.0.0 --allow-remote). Every other Host is refused.
  --metrics-public   Serve /metrics without the token (for a local Prometheus)
  --metrics-only     An exporter only: /metrics, no dashboard, no WebSocket. Without a token on
                     loopback; on another address (--allow-remote) the token is required unless
                     --metrics-public (use --token-file for Prometheus' bearer token)
  --token-file PATH  Also write the token to PATH (mode 0600), e.g. for Prometheus bearer_token_file
  --open             Open the dashboard in the default browser
  --netns SCOPE      host: /metrics also covers every network namespace (containers, pods:
                     portwatch_netns_* with netns, pod, namespace, container labels, the worst 20
                     plus "other"); self: only this one (default: host when root on the host)
  --allow-apply      Let the tuning wizard apply its plan (kernel settings, through Portwatch's helper:
                     directly when run as root, else pkexec or sudo, whose prompt shows in the wizard's
                     terminal). Only from the dashboard page itself: the WebSocket it opens with this
                     server's Origin and the token. Loopback only (refused with --allow-remote).
  --assume-host      Plan for this network namespace even though it looks like a container
  --ssh [USER@]HOST[:PORT]
                     Watch this remote host over your own ssh instead of this machine (repeatable:
                     one dashboard per host, on --port, --port+1, … or random ports; see README)
  --ssh-config FILE  With --ssh: the ssh configuration file (ssh -F FILE)
  --no-failure-tracer
                     Do not run the connect-failure tracer (Linux, as root, with bpftrace: every
                     connect() the kernel refuses for lack of a port; on by default where it can run)
  --trace-syscalls   Trace on the syscall tracepoints instead: also bind() failures (EADDRINUSE) and
                     connects of sockets bound beforehand, at a cost to every syscall on the host
  --help             This text
`;

/** Parses serve's arguments; returns the options or a message naming the culprit. */
export function parseServeArgs(args: string[]): { ok: true; options: ServeOptions } | { ok: false; error: string } {
  let v;
  try {
    v = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'allow-remote': { type: 'boolean' },
        'allow-host': { type: 'string', multiple: true },
        'metrics-public': { type: 'boolean' },
        'metrics-only': { type: 'boolean' },
        'token-file': { type: 'string' },
        open: { type: 'boolean' },
        'allow-apply': { type: 'boolean' },
        'assume-host': { type: 'boolean' },
        netns: { type: 'string' },
        ssh: { type: 'string', multiple: true },
        'ssh-config': { type: 'string' },
        'no-failure-tracer': { type: 'boolean' },
        'trace-syscalls': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  let port = 0;
  if (v.port !== undefined) {
    if (!/^\d{1,5}$/.test(v.port) || Number(v.port) > 65535) return { ok: false, error: `--port: expected a port number 0..65535, got ${JSON.stringify(v.port.slice(0, 20))}` };
    port = Number(v.port);
  }
  const host = v.host ?? '127.0.0.1';
  if (host.startsWith('-') || !/^[0-9A-Za-z.:[\]-]{1,255}$/.test(host)) return { ok: false, error: `--host: expected an IP address or host name, got ${JSON.stringify(host.slice(0, 40))}` };
  const allowRemote = v['allow-remote'] ?? false;
  if (!isLoopback(host) && !allowRemote) {
    return { ok: false, error: `--host ${host} is not a loopback address: the dashboard would be reachable from the network. Add --allow-remote if that is what you want.` };
  }
  const allowHosts = v['allow-host'] ?? [];
  for (const h of allowHosts) {
    if (h.startsWith('-') || !/^[0-9A-Za-z.:[\]-]{1,255}$/.test(h)) return { ok: false, error: `--allow-host: expected a host name or address, got ${JSON.stringify(h.slice(0, 40))}` };
    if (!isLoopback(h) && !allowRemote) return { ok: false, error: `--allow-host ${h} is not a loopback name: add --allow-remote if the dashboard should be reachable from the network` };
  }
  const allowApply = v['allow-apply'] ?? false;
  if (allowApply && (allowRemote || !isLoopback(host))) {
    return { ok: false, error: '--allow-apply is refused with --allow-remote: changing kernel settings is offered to a browser on this machine only (the dashboard is plain HTTP)' };
  }
  const metricsOnly = v['metrics-only'] ?? false;
  if (metricsOnly && allowApply) return { ok: false, error: '--allow-apply needs the dashboard: it cannot be combined with --metrics-only' };
  if (metricsOnly && v.open) return { ok: false, error: '--open needs the dashboard: it cannot be combined with --metrics-only' };
  const tokenFile = v['token-file'] ?? null;
  if (tokenFile !== null && (tokenFile === '' || tokenFile.startsWith('-'))) return { ok: false, error: `--token-file: expected a file path, got ${JSON.stringify(tokenFile)}` };
  const ssh = v.ssh ?? [];
  const sshConfig = v['ssh-config'] ?? null;
  if (sshConfig !== null && ssh.length === 0) return { ok: false, error: '--ssh-config needs --ssh HOST' };
  if (ssh.length > 0 && allowApply) return { ok: false, error: '--allow-apply is for this machine: it cannot be combined with --ssh (tune a remote host with `portwatch tune` there)' };
  if (ssh.length > 0 && v.netns !== undefined) return { ok: false, error: '--netns is for this machine: a remote host (--ssh) is read in the namespace of the login' };
  if (v['trace-syscalls'] && v['no-failure-tracer']) return { ok: false, error: '--trace-syscalls chooses how the failure tracer traces: it cannot be combined with --no-failure-tracer' };
  if (ssh.length > 20) return { ok: false, error: `--ssh: at most 20 hosts, got ${ssh.length}` };
  try {
    for (const h of ssh) parseSshTarget(h);
    if (sshConfig !== null) checkSshConfigPath(sshConfig);
  } catch (err) {
    if (isSshTargetError(err)) return { ok: false, error: err.message };
    throw err;
  }
  if (ssh.length > 1 && port !== 0 && port + ssh.length - 1 > 65535) return { ok: false, error: `--port ${port}: ${ssh.length} hosts need ports up to ${port + ssh.length - 1}` };
  return {
    ok: true,
    options: {
      ...(ssh.length > 0 ? { ssh } : {}),
      ...(sshConfig !== null ? { sshConfig } : {}),
      host: host.replace(/^\[|\]$/g, ''),
      port,
      open: v.open ?? false,
      // An exporter on loopback answers without the token, as node_exporter does.
      metricsPublic: (v['metrics-public'] ?? false) || (metricsOnly && isLoopback(host)),
      metricsOnly,
      allowRemote,
      allowHosts,
      tokenFile,
      allowApply,
      assumeHost: v['assume-host'] ?? false,
      ...(v.netns === undefined ? {} : { netns: v.netns }),
      ...(v['no-failure-tracer'] ? { failureTracer: false } : {}),
      ...(v['trace-syscalls'] ? { traceSyscalls: true } : {}),
      help: v.help ?? false,
    },
  };
}
