// Each test file gets its own Portwatch state directory, inherited by every serve/check it starts:
// episodes and roll-ups recorded by one test must never be restored into another (nor into ~/.local/state).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.PORTWATCH_STATE_DIR = mkdtempSync(join(tmpdir(), 'pw-state-'));
