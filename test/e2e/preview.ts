// Runs `serve` with the synthetic sampler and a full day of history, for looking at the dashboard by hand:
//   node --import tsx test/e2e/preview.ts [port]
import { startServe } from '../../electron/server/serve.js';
import { HistoryStore, SyntheticSampler, fillDay } from './synthetic-sampler.js';

const history = new HistoryStore();
fillDay(history, Date.now());
const sampler = new SyntheticSampler(1000);
sampler.level = 22_000;
const s = await startServe(
  { host: '127.0.0.1', port: Number(process.argv[2] ?? 0), open: false, metricsPublic: false, allowRemote: false, allowHosts: [], tokenFile: null, help: false },
  sampler,
  { history },
);
process.stdout.write(`${s.url}\n`);
