// The built renderer, read once into memory: requests are answered by map lookup, so no request path
// ever reaches the file system (no traversal), and the total size is bounded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { FileLimitError } from '../common/errors/file-limit-error.js';

/** One file ready to send. */
export interface StaticFile {
  body: Buffer;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const MAX_TOTAL_BYTES = 32 * 1024 * 1024;
const MAX_FILES = 500;

/** Loads every file under `dir` keyed by URL path ("/index.html", "/assets/x.js"); null when dir has no index.html. */
export function loadStaticFiles(dir: string): Map<string, StaticFile> | null {
  const files = new Map<string, StaticFile>();
  let total = 0;
  const walk = (d: string, depth: number): void => {
    if (depth > 8) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile()) {
        const ext = name.slice(name.lastIndexOf('.')).toLowerCase();
        const type = TYPES[ext];
        if (!type) continue;
        total += st.size;
        if (total > MAX_TOTAL_BYTES || files.size >= MAX_FILES) throw new FileLimitError(`renderer directory ${dir} is larger than the server serves`, dir);
        files.set('/' + relative(dir, p).split(sep).join('/'), { body: readFileSync(p), type });
      }
    }
  };
  try {
    walk(dir, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return files.has('/index.html') ? files : null;
}
