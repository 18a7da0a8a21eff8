import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../electron/server/serve-args.js';

describe('parseServeArgs', () => {
  it('binds 127.0.0.1 on a random port by default', () => {
    expect(parseServeArgs([])).toEqual({ ok: true, options: { host: '127.0.0.1', port: 0, open: false, metricsPublic: false, metricsOnly: false, allowRemote: false, allowHosts: [], tokenFile: null, allowApply: false, assumeHost: false, help: false } });
  });
  it('names an unknown flag', () => {
    const r = parseServeArgs(['--admin']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain("'--admin'");
  });
  it('names a bad port', () => {
    expect(parseServeArgs(['--port', '70000'])).toEqual({ ok: false, error: '--port: expected a port number 0..65535, got "70000"' });
    expect(parseServeArgs(['--port', '-1']).ok).toBe(false);
  });
  it('refuses a non-loopback address unless --allow-remote', () => {
    const r = parseServeArgs(['--host', '0.0.0.0']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('--allow-remote');
    expect(parseServeArgs(['--host', '0.0.0.0', '--allow-remote']).ok).toBe(true);
    expect(parseServeArgs(['--host', '::1']).ok).toBe(true);
    expect(parseServeArgs(['--host', '127.0.0.2']).ok).toBe(true);
  });
  it('refuses a host that looks like an option or carries junk', () => {
    expect(parseServeArgs(['--host=-x']).ok).toBe(false);
    expect(parseServeArgs(['--host', 'a b']).ok).toBe(false);
  });
});

describe('--allow-host', () => {
  it('adds Host names, but a non-loopback one only with --allow-remote', () => {
    const r = parseServeArgs(['--allow-host', 'monitor.example']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain('--allow-remote');
    const ok = parseServeArgs(['--host', '0.0.0.0', '--allow-remote', '--allow-host', 'monitor.example', '--allow-host', '10.0.0.5']);
    expect(ok.ok && ok.options.allowHosts).toEqual(['monitor.example', '10.0.0.5']);
    expect(parseServeArgs(['--allow-host', '-evil']).ok).toBe(false);
  });
});

describe('--allow-apply', () => {
  it('is off unless given, and turns applying on for a loopback server', () => {
    const r = parseServeArgs(['--allow-apply']);
    expect(r.ok && r.options.allowApply).toBe(true);
    const off = parseServeArgs([]);
    expect(off.ok && off.options.allowApply).toBe(false);
    const ns = parseServeArgs(['--allow-apply', '--assume-host']);
    expect(ns.ok && ns.options.assumeHost).toBe(true);
  });
  it('is refused on a server reachable from the network', () => {
    expect(parseServeArgs(['--allow-apply', '--host', '0.0.0.0', '--allow-remote'])).toEqual({
      ok: false,
      error: '--allow-apply is refused with --allow-remote: changing kernel settings is offered to a browser on this machine only (the dashboard is plain HTTP)',
    });
  });
});

describe('--metrics-only', () => {
  it('makes /metrics public on loopback only, as node_exporter users expect', () => {
    const local = parseServeArgs(['--metrics-only']);
    expect(local.ok && local.options).toMatchObject({ metricsOnly: true, metricsPublic: true });
    const remote = parseServeArgs(['--metrics-only', '--host', '0.0.0.0', '--allow-remote']);
    expect(remote.ok && remote.options).toMatchObject({ metricsOnly: true, metricsPublic: false });
    const opened = parseServeArgs(['--metrics-only', '--host', '0.0.0.0', '--allow-remote', '--metrics-public']);
    expect(opened.ok && opened.options.metricsPublic).toBe(true);
  });
  it('refuses the flags that need the dashboard, naming them', () => {
    expect(parseServeArgs(['--metrics-only', '--allow-apply'])).toEqual({ ok: false, error: '--allow-apply needs the dashboard: it cannot be combined with --metrics-only' });
    expect(parseServeArgs(['--metrics-only', '--open'])).toEqual({ ok: false, error: '--open needs the dashboard: it cannot be combined with --metrics-only' });
  });
});

describe('the failure tracer flags', () => {
  it('runs the default program unless --trace-syscalls, and none with --no-failure-tracer', () => {
    const plain = parseServeArgs([]);
    expect(plain.ok && plain.options).not.toHaveProperty('traceSyscalls');
    expect(plain.ok && plain.options).not.toHaveProperty('failureTracer');
    const sys = parseServeArgs(['--trace-syscalls']);
    expect(sys.ok && sys.options.traceSyscalls).toBe(true);
    const off = parseServeArgs(['--no-failure-tracer']);
    expect(off.ok && off.options.failureTracer).toBe(false);
  });
  it('refuses to trace the syscalls with the tracer off, naming both flags', () => {
    expect(parseServeArgs(['--trace-syscalls', '--no-failure-tracer'])).toEqual({ ok: false, error: '--trace-syscalls chooses how the failure tracer traces: it cannot be combined with --no-failure-tracer' });
  });
});
