// `npm run bench`: imports every *.bench.ts in this folder, in name order; each runs and prints its
// own report when imported. Benchmarks measure and report; they assert nothing.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
for (const file of readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only.length > 0 && !only.some((o) => file.includes(o))) continue;
  console.log(`\n# ${file}`);
  await import(pathToFileURL(join(dir, file)).href);
}
