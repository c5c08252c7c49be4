/** A diff report as text (a terminal), Markdown (a pull-request comment) or JSON (tools). */
import type { Severity } from './classify.js';
import type { Change, DiffReport } from './index.js';

export type Format = 'text' | 'markdown' | 'json';

export function formatReport(report: DiffReport, format: Format): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return markdown(report);
    case 'text':
      return text(report);
  }
}

const LABEL: Record<Severity, string> = { breaking: 'BREAKING', minor: 'minor', patch: 'patch' };

/** Changes grouped by namespace, then by event (document- and namespace-level changes first). */
function groups(changes: Change[]): { namespace: string; events: { title: string; changes: Change[] }[] }[] {
  const out: { namespace: string; events: { title: string; changes: Change[] }[] }[] = [];
  for (const c of changes) {
    let ns = out.find((g) => g.namespace === c.namespace);
    if (!ns) {
      ns = { namespace: c.namespace, events: [] };
      out.push(ns);
    }
    const title = c.event === undefined ? '' : `${c.event} (${c.direction})`;
    let ev = ns.events.find((e) => e.title === title);
    if (!ev) {
      ev = { title, changes: [] };
      ns.events.push(ev);
    }
    ev.changes.push(c);
  }
  return out;
}

function summary(report: DiffReport): string {
  const { counts, bump } = report;
  const total = counts.breaking + counts.minor + counts.patch;
  if (total === 0) return 'No change: semver bump none.';
  const version = report.suggestedVersion ? ` (${report.base.version} → ${report.suggestedVersion})` : '';
  return `${counts.breaking} breaking, ${counts.minor} minor, ${counts.patch} patch: semver bump ${bump}${version}.`;
}

const where = (c: Change): string =>
  c.part === 'payload' || c.part === 'ack' ? `${c.part} ` : `${c.part}: `;

function text(report: DiffReport): string {
  const lines = [
    `${report.base.source} (${report.base.version}) → ${report.head.source} (${report.head.version})`,
  ];
  for (const ns of groups(report.changes)) {
    lines.push('', ns.namespace === '' ? 'document' : ns.namespace);
    for (const ev of ns.events) {
      const indent = ev.title ? '    ' : '  ';
      if (ev.title) lines.push(`  ${ev.title}`);
      for (const c of ev.changes) {
        lines.push(`${indent}${LABEL[c.severity].padEnd(8)}  ${where(c)}${c.message} — ${c.reason}`);
      }
    }
  }
  lines.push('', summary(report));
  return `${lines.join('\n')}\n`;
}

/** A table cell: one line, pipes escaped. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n+/g, ' ');

function markdown(report: DiffReport): string {
  const { counts } = report;
  const head = report.counts.breaking > 0 ? '### ❌ Protocol diff: breaking changes' : '### ✅ Protocol diff';
  const lines = [
    head,
    '',
    `\`${report.base.source}\` (${report.base.version}) → \`${report.head.source}\` (${report.head.version})`,
    '',
    `**${summary(report)}**`,
    '',
  ];
  if (counts.breaking + counts.minor + counts.patch === 0) return `${lines.join('\n')}\n`;
  lines.push('| | Namespace | Event | Where | Change | Why |', '| --- | --- | --- | --- | --- | --- |');
  for (const c of report.changes) {
    const part = c.path !== undefined ? `${c.part} \`${c.path || '(payload)'}\`` : c.part;
    const event = c.event === undefined ? '' : `\`${cell(c.event)}\` ${c.direction}`;
    lines.push(
      `| ${c.severity === 'breaking' ? '**breaking**' : c.severity} | ${c.namespace ? `\`${c.namespace}\`` : ''} | ${event} | ${cell(part)} | ${cell(c.message)} | ${cell(c.reason)} |`,
    );
  }
  lines.push(
    '',
    '<sub>For what clients send, a change breaks old clients when the server accepts less; for what the server sends (events and acks), when old clients may receive something they do not expect.</sub>',
  );
  return `${lines.join('\n')}\n`;
}
