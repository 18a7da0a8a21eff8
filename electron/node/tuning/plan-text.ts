// Plain-text renderings of a plan, its review and the helper's results (the CLI prints them; a UI may too).
// Prose wraps to the width asked for; commands, values, file contents and diffs stay whole (verbatim).
import type { HelperResult, TuningPlan } from '../../common/tuning.js';
import { count, rate, seconds } from './plan-format.js';
import type { PlanReview } from './review.js';
import { fitText, hanging, verbatim, type TextLine } from '../../common/text-fit.js';

/** The plan as a report: summary, application fixes, kernel changes with what-if and risks, notes (null width: lines whole). */
export function renderPlan(plan: TuningPlan, width: number | null = null): string {
  const out: TextLine[] = [`Tuning plan for this ${plan.environment.container ? 'container' : 'machine'} (${plan.platform})`, '', plan.summary, ''];
  if (plan.warnings.length) {
    out.push('Read this first:');
    for (const w of plan.warnings) out.push(`  ! ${w}`);
    out.push('');
  }
  if (plan.advice.length) {
    out.push('1. Fix the application (the cure; Portwatch does not change programs):');
    for (const a of plan.advice) out.push(`  - ${a.title}`, `    ${a.text}`, `    Why: ${a.why}`);
    out.push('');
  }
  if (plan.kernel.length) {
    out.push(`${plan.advice.length ? '2' : '1'}. Kernel settings (relief), in the order they are written:`);
    for (const s of plan.kernel) {
      out.push(`  - ${s.title}`);
      out.push(verbatim(`    ${s.key}: ${show(s.current)} → ${show(s.proposed)}`));
      out.push(`    Why: ${s.why}`);
      out.push(`    Effect: ${s.effect.summary}`);
      for (const r of s.risks) out.push(`    Risk: ${r}`);
    }
    out.push('');
  }
  if (plan.whatIf.destinations.length && plan.kernel.length) {
    out.push('Per destination (what-if):');
    for (const d of plan.whatIf.destinations) {
      out.push(
        hanging(
          `  ${d.label}${d.loopback ? ' (loopback)' : ''}: now ${rate(d.newPerSec)} new connections; sustainable ${rate(d.before.sustainablePerSec)} → ${rate(d.after.sustainablePerSec)} (port held ${seconds(d.before.holdSec)} → ${seconds(d.after.holdSec)})`,
          4,
        ),
      );
    }
    out.push('');
  }
  if (plan.persistence?.how !== undefined) {
    out.push(`Persisted in ${plan.persistence.path}: ${plan.persistence.how}`, '');
  } else if (plan.persistence) {
    out.push(`Persisted in ${plan.persistence.path}; at boot:`);
    for (const b of plan.persistence.boot) {
      const w = b.systemd ?? b.procps;
      out.push(`  ${b.key}: ${b.oursWins ? 'this file wins' : `${w ? `${w.path}:${w.line} wins` : 'no file sets it'}${b.procps && b.procps.path !== b.systemd?.path ? ` (with sysctl --system: ${b.procps.path}:${b.procps.line})` : ''}`}`);
    }
    out.push('');
  }
  if (plan.platform === 'win32' && plan.helperPlan) out.push('Nothing else is persisted: Windows stores the new values itself and keeps them across reboots.', '');
  if (plan.containerSnippets) {
    out.push('Set it in the pod specification (Kubernetes):', verbatim(indent(plan.containerSnippets.kubernetes)), 'or for a container started by hand:', verbatim(`  ${plan.containerSnippets.docker}`));
    for (const n of plan.containerSnippets.notes) out.push(`  Note: ${n}`);
    out.push('');
  }
  if (plan.notProposed.length) {
    out.push('Not proposed, on purpose:');
    for (const n of plan.notProposed) out.push(`  - ${n}`);
    out.push('');
  }
  const b = plan.whatIf.before.capacity;
  if (b.usable !== null) {
    // Without the socket table the ports listeners hold are unknown: the figure is a ceiling.
    const unread = b.heldByListeners === null;
    out.push(`Now: ${unread ? 'at most ' : ''}${count(b.usable)} usable ports per destination${unread ? ' (the ports listening sockets hold are unknown without the socket table)' : ''}, a closed connection holds its port ${seconds(plan.whatIf.before.holdSec)}.`);
  }
  return fitText(out, width);
}

/** The review: commands, writes and file diffs. */
export function renderReview(review: PlanReview, heading = 'What will run', width: number | null = null): string {
  const out: TextLine[] = review.commands.length ? [`${heading}:`] : [];
  for (const c of review.commands) out.push(verbatim(`  $ ${c.display}`), `    ${c.why}`);
  if (review.helperCommands?.length) {
    if (out.length) out.push('');
    out.push('Programs the helper runs, in order (after saving the old values in its journal), by absolute path, without a shell:');
    for (const c of review.helperCommands) out.push(verbatim(`  ${c.display}`), `    ${c.why}`);
  }
  if (review.writes.length) {
    out.push('', 'Writes made by the helper, in order (after saving the old values in its journal):');
    for (const w of review.writes) {
      const lines = w.data.replace(/\n$/, '').split('\n');
      out.push(verbatim(`  ${w.path}${lines.length > 1 ? ':' : ` ← ${JSON.stringify(lines[0])}`}`));
      if (lines.length > 1) for (const l of lines) out.push(verbatim(`    ${expandTabs(l)}`));
    }
  }
  for (const f of review.files) {
    out.push('', `Change to ${f.path}${f.before === null ? ' (new file)' : ''}:`);
    for (const l of f.diff) out.push(verbatim(`  ${l.slice(0, 1)}${expandTabs(l.slice(1))}`));
  }
  return fitText(out, width);
}

/** One helper result in a sentence or a few lines. */
export function renderResult(r: HelperResult, width: number | null = null): string {
  const out: TextLine[] = [r.message];
  for (const c of r.changes) out.push(verbatim(`  ${c.key}: ${show(c.before)} → ${show(c.wanted)} (now ${show(c.now)})`));
  for (const o of r.overrides) {
    out.push(
      o.readers.includes('launchd')
        ? `  ! ${o.path}:${o.line} also sets ${o.key} = ${o.value} at boot: launchd starts it in no fixed order with Portwatch's LaunchDaemon, so it may win.`
        : `  ! ${o.path}:${o.line} sets ${o.key} = ${o.value} after Portwatch's file: it wins at boot (${o.readers.join(', ')}).`,
    );
  }
  if (r.verb === 'status' || r.outcome === 'status') {
    for (const h of r.history) out.push(verbatim(`  ${h.txid}  ${h.kind}  ${h.state}  ${h.keys.join(', ')}`));
  }
  return fitText(out, width);
}

function show(v: string | null): string {
  return v === null ? '(absent)' : v === '' ? '(empty)' : v.replace(/\t/g, ' ');
}

/**
 * A file's line as `cat` shows it on a terminal: each tab to the next multiple of 8 columns (a plist is
 * indented with tabs). The terminal layer would otherwise print every tab as a visible \x09.
 */
function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

function indent(text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
