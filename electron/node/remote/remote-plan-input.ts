// The planner's input for a remote host: the same gathering as for this machine (machine-input.ts: two
// analysed samples, the held ports) over the remote backend, plus what a plan reads besides a sample —
// the host's sysctl configuration files (which file wins at boot) and the evidence of a container — read
// by the same fixed sampling script in its "tune" mode, in one round trip.
import type { Sample } from '../../common/model.js';
import type { TuningEnvironment } from '../../common/tuning.js';
import type { SysctlConfigFile } from '../../helper/sysctl-boot-order.js';
import type { Snapshot } from '../platform/types.js';
import { classifyEnvironment } from '../tuning/environment.js';
import { gatherPlanInput } from '../tuning/machine-input.js';
import type { PlanInput, PlanOptions } from '../tuning/plan-input.js';
import { createRemoteBackend, type RemoteHostStatus } from './remote-backend.js';
import { decodeRemoteOutput } from './remote-frames.js';
import { REMOTE_SCRIPT, remoteCommand } from './remote-script.js';
import { batchArgv, spawnSshRunner, type SshConnection, type SshRunner } from './ssh-command.js';
import { classifySshFailure } from './ssh-errors.js';

/** What a plan needs from a remote host besides a sample. */
export interface RemoteTuneFacts {
  /** The sysctl configuration files (null when they could not be read). */
  sysctlFiles: SysctlConfigFile[] | null;
  environment: TuningEnvironment;
}

// Frames of the "tune" read: files by their path (the sysctl files' names are only known remotely).
class TuneFrames extends Set<string> {
  override has(name: string): boolean {
    return name === 'dockerenv' || name === 'containerenv' || /^\/(etc|run|usr|lib|proc)\/[A-Za-z0-9._/-]+$/.test(name);
  }
}

const SYSCTL_FILE = /^\/(etc\/sysctl\.conf|(etc|run|usr\/local\/lib|usr\/lib|lib)\/sysctl\.d\/[^/]+\.conf)$/;

/** Decodes the "tune" read (pure: tests feed it hostile output). */
export function tuneFactsFromOutput(out: Buffer): RemoteTuneFacts | null {
  const decoded = decodeRemoteOutput(out, new TuneFrames());
  if (decoded.os !== 'Linux' || !decoded.complete) return null;
  const text = (name: string): string | null => {
    const f = decoded.frames.get(name);
    return f && f.exit === 0 ? f.data.toString('utf8') : null;
  };
  const files: SysctlConfigFile[] = [];
  for (const [name, f] of decoded.frames) if (SYSCTL_FILE.test(name) && f.exit === 0) files.push({ path: name, text: f.data.toString('utf8') });
  const cgroups = [text('/proc/1/cgroup'), text('/proc/self/cgroup')].filter((t): t is string => t !== null);
  const exists = (name: string): boolean => decoded.frames.get(name)?.exit === 0;
  return {
    sysctlFiles: files,
    environment: classifyEnvironment({ dockerenv: exists('dockerenv'), containerenv: exists('containerenv'), cgroups, kubernetesServiceHost: null }),
  };
}

/** Reads the facts over SSH; throws SshError when ssh fails, returns null sysctl files when unreadable. */
export async function readRemoteTuneFacts(connection: SshConnection, runner: SshRunner = spawnSshRunner): Promise<RemoteTuneFacts> {
  const r = await runner(batchArgv(connection, remoteCommand('tune')), REMOTE_SCRIPT, 30_000);
  if (r.exitCode === 255 || r.exitCode === null) throw classifySshFailure(connection.target, r.stderr, r.exitCode);
  return tuneFactsFromOutput(r.stdout) ?? { sysctlFiles: null, environment: { container: false, kind: null, evidence: [] } };
}

/** The PlanInput of a remote host, the sample it is based on, and whether the host answered. */
export async function gatherRemotePlanInput(g: {
  connection: SshConnection;
  runner?: SshRunner;
  intervalSec: number;
  assumeHost: boolean;
  options: PlanOptions;
}): Promise<{ input: PlanInput; sample: Sample; snapshot: Snapshot; status: RemoteHostStatus }> {
  const runner = g.runner ?? spawnSshRunner;
  const facts = await readRemoteTuneFacts(g.connection, runner);
  const backend = createRemoteBackend({ connection: g.connection, runner });
  const got = await gatherPlanInput({ intervalSec: g.intervalSec, assumeHost: g.assumeHost, options: g.options, backend, sysctlFiles: facts.sysctlFiles, environment: facts.environment });
  return { ...got, status: backend.status() };
}
