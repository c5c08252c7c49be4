/**
 * Reporting for people: one line per case as it finishes, the details of each failure under it (what was
 * sent, what was expected, what arrived), and a summary per namespace.
 */
import { show } from './compare.js';
import type { ConformanceReport } from './index.js';
import type { CaseResult } from './runner.js';

export interface Writable {
  write(text: string): unknown;
}

const MARK: Record<CaseResult['status'], string> = { passed: '✓', failed: '✗', untestable: '-' };

/** The live part: a heading per namespace and a line per case. */
export function progressReporter(out: Writable) {
  return {
    onNamespace(namespace: string, cases: number): void {
      out.write(`\n${namespace} (${cases} case${cases === 1 ? '' : 's'})\n`);
    },
    onResult(result: CaseResult): void {
      out.write(formatResult(result));
    },
  };
}

export function formatResult(result: CaseResult): string {
  const time = result.kind === 'coverage' ? '' : ` (${result.durationMs} ms)`;
  const reason = result.status === 'untestable' && result.reason ? `: untestable, ${result.reason}` : '';
  const lines = [`  ${MARK[result.status]} ${result.title}${time}${reason}`];
  if (result.status === 'failed') lines.push(...failureDetails(result).map((line) => `      ${line}`));
  return `${lines.join('\n')}\n`;
}

/** What was sent, then each failure with what was expected and what arrived. */
export function failureDetails(result: CaseResult): string[] {
  const lines: string[] = [];
  if (result.notImplemented)
    lines.push('note: the server answered NOT_IMPLEMENTED: it does not implement this yet');
  if (result.sent) {
    const args = result.sent.args.map((arg) => show(arg, 1000)).join(', ');
    lines.push(`sent: ${result.sent.event}${args ? ` ${args}` : ' (no payload)'}`);
  }
  for (const failure of result.failures) {
    lines.push(`✗ ${failure.message}`);
    if (failure.expected !== undefined) lines.push(`    expected: ${failure.expected}`);
    if (failure.received !== undefined) lines.push(`    received: ${failure.received}`);
  }
  return lines;
}

export function formatSummary(report: ConformanceReport): string {
  const rows = report.namespaces.map((ns) => {
    const coverage = ns.coverage ? `, server events covered ${ns.coverage.covered}/${ns.coverage.total}` : '';
    return `  ${ns.namespace}: ${ns.passed} passed, ${ns.failed} failed, ${ns.untestable} untestable${coverage}`;
  });
  const total = (key: 'passed' | 'failed' | 'untestable') =>
    report.namespaces.reduce((n, ns) => n + ns[key], 0);
  const failed = report.results.filter((r) => r.status === 'failed');
  const lines = ['', 'Summary', ...rows];
  lines.push(
    `  total: ${total('passed')} passed, ${total('failed')} failed, ${total('untestable')} untestable in ${(report.durationMs / 1000).toFixed(1)} s`,
  );
  if (report.filtered) {
    lines.push('  (coverage is judged only when every case of a namespace runs: not with --grep or --fuzz)');
  }
  if (failed.length > 0) {
    lines.push('', 'Failed:', ...failed.map((r) => `  ✗ ${r.id}`));
  }
  lines.push('', report.ok ? 'The server keeps the contract.' : 'The server does not keep the contract.');
  return `${lines.join('\n')}\n`;
}

/** JUnit XML: one testsuite per namespace, one testcase per case; untestable cases are skipped. */
export function junitXml(report: ConformanceReport): string {
  const suites = report.namespaces.map((ns) => {
    const results = report.results.filter((r) => r.namespace === ns.namespace);
    const time = results.reduce((ms, r) => ms + r.durationMs, 0) / 1000;
    const cases = results.map((r) => {
      const open = `    <testcase classname="${xml(ns.namespace)}" name="${xml(r.title)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.status === 'passed') return `${open}/>`;
      if (r.status === 'untestable')
        return `${open}>\n      <skipped message="${xml(r.reason ?? 'untestable')}"/>\n    </testcase>`;
      const message = r.failures[0]?.message ?? 'failed';
      return `${open}>\n      <failure message="${xml(message)}">${xml(failureDetails(r).join('\n'))}</failure>\n    </testcase>`;
    });
    return [
      `  <testsuite name="${xml(ns.namespace)}" tests="${results.length}" failures="${ns.failed}" errors="0" skipped="${ns.untestable}" time="${time.toFixed(3)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const tests = report.results.length;
  const failures = report.results.filter((r) => r.status === 'failed').length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="parley conformance" tests="${tests}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function xml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // Characters XML 1.0 does not allow.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is being removed
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
  );
}
