/** What a person reads (progress lines, failure details, summary) and what CI reads (JUnit XML). */
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../conformance/index.js';
import { formatResult, formatSummary, junitXml } from '../../conformance/report.js';
import type { CaseResult } from '../../conformance/runner.js';

const passed: CaseResult = {
  id: '/chat › say › example "basic"',
  namespace: '/chat',
  title: 'say › example "basic"',
  kind: 'example',
  status: 'passed',
  durationMs: 12,
  failures: [],
};
const failed: CaseResult = {
  id: '/chat › say › rejects "text" missing',
  namespace: '/chat',
  title: 'say › rejects "text" missing',
  kind: 'negative',
  status: 'failed',
  durationMs: 600,
  sent: { event: 'say', args: [{ room: 'r1' }] },
  failures: [
    {
      message: 'no "error" within 600 ms after a payload with "text" missing',
      expected: 'the error event "error" with code VALIDATION_FAILED to the sender',
      received: '[]',
    },
  ],
};
const untestable: CaseResult = {
  id: '/chat › coverage › shouted',
  namespace: '/chat',
  title: 'coverage › shouted',
  kind: 'coverage',
  status: 'untestable',
  durationMs: 0,
  failures: [],
  reason: 'needs a <loud> & "real" room',
};
const report: ConformanceReport = {
  ok: false,
  filtered: false,
  results: [passed, failed, untestable],
  namespaces: [
    { namespace: '/chat', passed: 1, failed: 1, untestable: 1, coverage: { covered: 1, total: 2 } },
  ],
  durationMs: 1234,
};

describe('reporting', () => {
  it('prints one line per case, and under a failure what was sent, expected and received', () => {
    expect(formatResult(passed)).toBe('  ✓ say › example "basic" (12 ms)\n');
    expect(formatResult(failed)).toBe(
      [
        '  ✗ say › rejects "text" missing (600 ms)',
        '      sent: say {"room":"r1"}',
        '      ✗ no "error" within 600 ms after a payload with "text" missing',
        '          expected: the error event "error" with code VALIDATION_FAILED to the sender',
        '          received: []',
        '',
      ].join('\n'),
    );
    expect(formatResult(untestable)).toBe(
      '  - coverage › shouted: untestable, needs a <loud> & "real" room\n',
    );
  });

  it('sums up per namespace and lists what failed', () => {
    expect(formatSummary(report)).toBe(
      [
        '',
        'Summary',
        '  /chat: 1 passed, 1 failed, 1 untestable, server events covered 1/2',
        '  total: 1 passed, 1 failed, 1 untestable in 1.2 s',
        '',
        'Failed:',
        '  ✗ /chat › say › rejects "text" missing',
        '',
        'The server does not keep the contract.',
        '',
      ].join('\n'),
    );
  });

  it('writes JUnit XML: a testsuite per namespace, a testcase per case, escaped', () => {
    const xml = junitXml(report);
    expect(xml).toContain('<testsuites name="parley conformance" tests="3" failures="1" time="1.234">');
    expect(xml).toContain(
      '<testsuite name="/chat" tests="3" failures="1" errors="0" skipped="1" time="0.612">',
    );
    expect(xml).toContain(
      '<testcase classname="/chat" name="say › example &quot;basic&quot;" time="0.012"/>',
    );
    expect(xml).toContain(
      '<failure message="no &quot;error&quot; within 600 ms after a payload with &quot;text&quot; missing">sent: say {&quot;room&quot;:&quot;r1&quot;}',
    );
    expect(xml).toContain('<skipped message="needs a &lt;loud&gt; &amp; &quot;real&quot; room"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });
});
