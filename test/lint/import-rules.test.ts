import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The folder rules are only worth something if they fire: lint probe sources placed in each layer.
const eslint = new ESLint({ cwd: process.cwd() });
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import rules between folders', () => {
  it.each([
    ['electron/common/probe.ts', "import { a } from '../node/engine/analyzer.js';"],
    ['electron/common/probe.ts', "import { readFile } from 'node:fs';"],
    ['renderer/src/probe.ts', "import { Sampler } from '../../electron/node/sampler/sampler.js';"],
    ['renderer/src/probe.ts', "import { app } from 'electron';"],
    ['electron/node/probe.ts', "import { app } from 'electron';"],
    ['electron/server/probe.ts', "import { x } from '../main/window.js';"],
    ['electron/helper/probe.ts', "import { Analyzer } from '../node/engine/analyzer.js';"],
    ['electron/preload/probe.ts', "import { readFile } from 'node:fs';"],
    ['electron/preload/probe.ts', "import { Sampler } from '../node/sampler/sampler.js';"],
    ['electron/common/probe.ts', "import { main } from '../cli/portwatch.js';"],
    ['electron/common/probe.ts', "import { x } from '../desktop/settings.js';"],
    ['electron/node/probe.ts', "import { main } from '../cli/portwatch.js';"],
    ['electron/node/engine/probe.ts', "import { x } from '../../desktop/settings.js';"],
    ['electron/node/probe.ts', "import { serve } from '../server/serve.js';"],
    ['electron/node/probe.ts', "import { x } from '../main/window.js';"],
    ['electron/server/probe.ts', "import { main } from '../cli/portwatch.js';"],
    ['electron/server/probe.ts', "import { x } from '../desktop/settings.js';"],
    ['electron/server/probe.ts', "import { app } from 'electron';"],
    ['electron/cli/probe.ts', "import { x } from '../desktop/settings.js';"],
    ['electron/cli/probe.ts', "import { x } from '../main/window.js';"],
    ['electron/cli/probe.ts', "import { app } from 'electron';"],
    ['electron/desktop/probe.ts', "import { app } from 'electron';"],
    ['electron/desktop/probe.ts', "import { main } from '../cli/portwatch.js';"],
    ['electron/desktop/probe.ts', "import { serve } from '../server/serve.js';"],
    ['electron/desktop/probe.ts', "import { x } from '../main/window.js';"],
    ['electron/main/probe.ts', "import { main } from '../cli/portwatch.js';"],
    ['electron/main/probe.ts', "import { serve } from '../server/serve.js';"],
    ['electron/main/probe.ts', "import { x } from '../helper/journal.js';"],
    ['electron/helper/probe.ts', "import { x } from '../node/platform/win32/commands.js';"],
    ['electron/helper/probe.ts', "import { x } from '../desktop/settings.js';"],
    ['electron/helper/probe.ts', "import { app } from 'electron';"],
  ])('refuses in %s: %s', async (file, line) => {
    expect(await restricted(file, `${line}\nexport const used = 1;\n`)).toHaveLength(1);
  });
  it.each([
    ['electron/node/probe.ts', "import type { Sample } from '../common/model.js';"],
    ['renderer/src/probe.ts', "import type { Sample } from '../../electron/common/model.js';"],
    ['electron/main/probe.ts', "import { app } from 'electron';"],
    ['electron/main/probe.ts', "import { x } from '../desktop/settings.js';"],
    ['electron/cli/probe.ts', "import { serve } from '../server/serve.js';"],
    ['electron/cli/probe.ts', "import { Analyzer } from '../node/engine/analyzer.js';"],
    ['electron/desktop/probe.ts', "import { Sampler } from '../node/sampler/sampler.js';"],
    ['electron/helper/probe.ts', "import { parseDynamicPort } from '../common/parse/win32-netsh.js';"],
    ['electron/preload/probe.ts', "import { REQUEST_CHANNELS } from '../common/ipc-channels.js';"],
  ])('allows in %s: %s', async (file, line) => {
    expect(await restricted(file, `${line}\nexport const used = 1;\n`)).toEqual([]);
  });
});
