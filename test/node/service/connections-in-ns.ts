// Run inside a namespace (`ip netns exec NS node --import tsx connections-in-ns.ts '<queries JSON>'`): a
// real Sampler and MonitorService, as serve runs them; after the first full sample, answers each
// getConnections query through the service's handle() and prints the responses as one JSON array.
import { createSampler } from '../../../electron/node/sampler/sampler.js';
import { MonitorService } from '../../../electron/node/service/monitor-service.js';

const queries = JSON.parse(process.argv[2] ?? '[]') as unknown[];
const sampler = createSampler({ minFullIntervalMs: 60_000, maxFullIntervalMs: 60_000 });
const service = new MonitorService({ sampler, version: 'test', platform: 'linux', hostname: 'ns', tuning: null });
const first = new Promise<void>((resolve) => {
  const off = sampler.onSample(() => {
    off();
    resolve();
  });
});
sampler.start();
const timeout = setTimeout(() => {
  process.stderr.write('no sample within 20 s\n');
  process.exit(2);
}, 20_000);
await first;
clearTimeout(timeout);
const answers = [];
for (const [id, params] of queries.entries()) answers.push(await service.handle({ id, method: 'getConnections', params }));
await sampler.stop();
service.close();
process.stdout.write(JSON.stringify(answers));
process.exit(0);
