// Runtime schema of a HostSample (host-sample.ts) for the contract: every namespace's Sample is checked
// with the Sample schema; the identity fields that the dashboard shows are checked and bounded.
import type { ContainerIdentity, HostSample, NamespaceIdentity, NamespaceSample, PodIdentity } from './host-sample.js';
import { sampleSchema } from './model-schema.js';
import { arr, bool, nullable, num, obj, oneOf, optional, str, type Schema } from './schema.js';

const lenient = { strict: false } as const;
/** A HostSample lists at most this many namespaces (a node with more is not a node this was built for). */
export const MAX_NAMESPACES = 5000;

const containerSchema = obj<ContainerIdentity>(
  { runtime: oneOf('docker', 'containerd', 'cri-o', 'podman'), id: str({ maxLength: 200 }), name: nullable(str({ maxLength: 300 })) },
  lenient,
);
const podSchema = obj<PodIdentity>({ uid: str({ maxLength: 100 }), namespace: nullable(str({ maxLength: 300 })), name: nullable(str({ maxLength: 300 })) }, lenient);
const identitySchema = obj<NamespaceIdentity>(
  {
    id: str({ maxLength: 100, minLength: 1 }),
    inode: num({ min: 0, integer: true }),
    names: arr(str({ maxLength: 300 }), { maxLength: 100 }),
    self: bool,
    host: bool,
    processes: arr(obj<{ pid: number; name: string }>({ pid: num({ min: 0, integer: true }), name: str({ maxLength: 300 }) }, lenient), { maxLength: 100 }),
    processCount: num({ min: 0, integer: true }),
    containers: arr(containerSchema, { maxLength: 100 }),
    pod: nullable(podSchema),
  },
  lenient,
);
const namespaceSampleSchema = obj<NamespaceSample>(
  {
    identity: identitySchema,
    status: oneOf('ok', 'vanished', 'refused', 'timeout', 'failed'),
    error: optional(str({ maxLength: 2000 })),
    sample: nullable(sampleSchema),
  },
  lenient,
);

/** Checks a HostSample from a transport. */
export const hostSampleSchema: Schema<HostSample> = obj<HostSample>(
  {
    schema: oneOf(1),
    time: num({ min: 0 }),
    hostname: str({ maxLength: 1000 }),
    scope: oneOf('host', 'self'),
    namespaces: arr(namespaceSampleSchema, { maxLength: MAX_NAMESPACES }),
    vanished: num({ min: 0, integer: true }),
    unseen: optional(obj({ processes: num({ min: 1, integer: true }), examples: arr(str({ maxLength: 100 }), { maxLength: 5 }), why: str({ maxLength: 1000 }) }, lenient)),
    worst: nullable(str({ maxLength: 100 })),
    severity: oneOf('unknown', 'ok', 'warning', 'critical', 'exhausted'),
    cost: obj({ wallMs: num({ min: 0 }), cpuMs: num({ min: 0 }) }, lenient),
  },
  lenient,
);
