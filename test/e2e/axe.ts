// axe-core (the accessibility engine Lighthouse and the browsers' tools use) run inside the page by
// Playwright: WCAG 2.1 A and AA rules, contrast included. Evaluated through the DevTools protocol, so the
// page's Content-Security-Policy (script-src 'self') does not need loosening for it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One rule broken, with where. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  summary: string;
}

/** Runs axe on the page as it is now; resolves to the violations (empty when none). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Node = { target: string[]; failureSummary?: string };
    type Result = { id: string; impact: string | null; help: string; nodes: Node[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: unknown) => Promise<{ violations: Result[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      summary: (v.nodes[0]?.failureSummary ?? '').slice(0, 300),
    }));
  });
}

/** The widths and colour schemes every view is checked at. */
export const A11Y_WIDTHS = [800, 1280, 1920] as const;
export const A11Y_SCHEMES = ['light', 'dark'] as const;

/** Runs axe at every width (or those given) and scheme; returns "where: rule (targets)" lines for each violation, then restores 1280 light. */
export async function axeEverywhere(page: Page, view: string, widths: readonly number[] = A11Y_WIDTHS): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of A11Y_SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of widths) {
      await page.setViewportSize({ width, height: 800 });
      for (const v of await axeViolations(page)) found.push(`${view} ${scheme} ${width}px: ${v.id} (${v.help}) at ${v.targets.join(', ')} — ${v.summary}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
  return found;
}
