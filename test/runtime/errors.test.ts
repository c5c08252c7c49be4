import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AckTimeoutError,
  conflict,
  forbidden,
  InboundValidationError,
  type Issue,
  internal,
  MAX_ISSUE_MESSAGE,
  MAX_ISSUE_PATH,
  MAX_ISSUES,
  notFound,
  notImplemented,
  ParleyError,
  ReplyValidationError,
  rateLimited,
  renderErrorTemplate,
  toIssues,
  unauthenticated,
  validationFailed,
} from '../../runtime/index.js';

const issues: Issue[] = [{ path: ['to', 0], message: 'Invalid input', code: 'invalid_type' }];
const vars = { code: 'FORBIDDEN', message: 'members only', event: 'join-room', issues };

describe('renderErrorTemplate', () => {
  it.each<[string, unknown, unknown]>([
    ['a bare placeholder string', '{code}', 'FORBIDDEN'],
    [
      'placeholders inside a longer string',
      '{event} failed: {message} ({code})',
      'join-room failed: members only (FORBIDDEN)',
    ],
    ['a value exactly {issues}', '{issues}', issues],
    ['{issues} inside a longer string is left alone', 'see {issues}', 'see {issues}'],
    ['an unknown placeholder is left alone', '{user}', '{user}'],
    [
      'a nested object',
      { ok: false, error: { code: '{code}', message: '{message}', details: { issues: '{issues}' } } },
      { ok: false, error: { code: 'FORBIDDEN', message: 'members only', details: { issues } } },
    ],
    ['arrays', ['{event}', 1, null, true, ['{code}']], ['join-room', 1, null, true, ['FORBIDDEN']]],
    ['keys are not rewritten', { '{code}': '{code}' }, { '{code}': 'FORBIDDEN' }],
    ['non-strings are copied', { n: 3, b: false, z: null }, { n: 3, b: false, z: null }],
    ['undefined stays undefined', undefined, undefined],
  ])('%s', (_name, template, expected) => {
    expect(renderErrorTemplate(template, vars)).toEqual(expected);
  });

  it('fills in each placeholder once, so a message containing a placeholder is kept as is', () => {
    const rendered = renderErrorTemplate('{message}', { ...vars, message: 'bad {event} and {code}' });
    expect(rendered).toBe('bad {event} and {code}');
  });

  it('uses [] for {issues} when there are none', () => {
    expect(
      renderErrorTemplate({ issues: '{issues}' }, { code: 'INTERNAL', message: 'x', event: 'e' }),
    ).toEqual({
      issues: [],
    });
  });

  it('deep-copies: neither the template nor the issues are shared with the result', () => {
    const template = { error: { code: '{code}' }, list: ['{event}'], issues: '{issues}' };
    const before = structuredClone(template);
    const rendered = renderErrorTemplate(template, vars) as {
      error: object;
      list: unknown[];
      issues: Issue[];
    };
    expect(template).toEqual(before);
    expect(rendered.error).not.toBe(template.error);
    expect(rendered.issues).not.toBe(issues);
    rendered.issues[0]?.path.push('mutated');
    expect(issues[0]?.path).toEqual(['to', 0]);
  });

  it('keeps a "__proto__" key of a template as a plain key', () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{code}"}}') as unknown;
    const rendered = renderErrorTemplate(template, vars) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.hasOwn(rendered, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('toIssues', () => {
  it('turns a ZodError into plain { path, message, code } objects', () => {
    const schema = z.object({ to: z.array(z.string()), text: z.string().min(1) });
    const result = schema.safeParse({ to: [1], text: '' });
    expect(result.success).toBe(false);
    const plain = toIssues(result.error!);
    expect(plain).toEqual([
      { path: ['to', 0], message: expect.any(String), code: 'invalid_type' },
      { path: ['text'], message: expect.any(String), code: 'too_small' },
    ]);
    expect(JSON.parse(JSON.stringify(plain))).toEqual(plain);
    expect(Object.keys(plain[0]!)).toEqual(['path', 'message', 'code']);
  });

  it('lists the first MAX_ISSUES issues and counts the rest, so an error never outweighs the request', () => {
    const schema = z.object({ ids: z.array(z.string()) });
    const result = schema.safeParse({ ids: Array.from({ length: 5000 }, (_, i) => i) });
    expect(result.error!.issues).toHaveLength(5000);
    const plain = toIssues(result.error!);
    expect(plain).toHaveLength(MAX_ISSUES + 1);
    expect(plain[MAX_ISSUES - 1]).toEqual({
      path: ['ids', MAX_ISSUES - 1],
      message: expect.any(String),
      code: 'invalid_type',
    });
    expect(plain[MAX_ISSUES]).toEqual({
      path: [],
      message: `and ${5000 - MAX_ISSUES} more issues (only the first ${MAX_ISSUES} are listed)`,
      code: 'too_many_issues',
    });
    expect(JSON.stringify(plain).length).toBeLessThan(4000);
  });

  it('cuts long messages, long keys and deep paths', () => {
    const keys = Array.from({ length: 10_000 }, (_, i) => `unknown_key_${i}`);
    const result = z.strictObject({}).safeParse(Object.fromEntries(keys.map((k) => [k, 1])));
    const [issue] = toIssues(result.error!);
    expect(issue!.code).toBe('unrecognized_keys');
    expect(issue!.message).toHaveLength(MAX_ISSUE_MESSAGE);
    expect(issue!.message.endsWith('…')).toBe(true);
    const deep = toIssues({
      issues: [{ path: ['k'.repeat(5000), ...Array(100).fill(0)], message: 'm', code: 'custom' }],
    });
    expect(deep[0]!.path).toHaveLength(MAX_ISSUE_PATH);
    expect(String(deep[0]!.path[0])).toHaveLength(MAX_ISSUE_MESSAGE);
  });

  it('turns symbol path keys into strings', () => {
    const key = Symbol('secret');
    expect(toIssues({ issues: [{ path: [key, 1], message: 'm', code: 'custom' }] })).toEqual([
      { path: ['secret', 1], message: 'm', code: 'custom' },
    ]);
  });
});

describe('ParleyError and helpers', () => {
  it.each<[ParleyError, string]>([
    [validationFailed('bad', issues), 'VALIDATION_FAILED'],
    [unauthenticated(), 'UNAUTHENTICATED'],
    [forbidden('no'), 'FORBIDDEN'],
    [notFound('gone'), 'NOT_FOUND'],
    [conflict('taken'), 'CONFLICT'],
    [rateLimited(), 'RATE_LIMITED'],
    [notImplemented('chat:send'), 'NOT_IMPLEMENTED'],
    [internal(), 'INTERNAL'],
  ])('%s has code %s', (error, code) => {
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe('ParleyError');
  });

  it('carries issues, details and cause', () => {
    const cause = new Error('db');
    const error = new ParleyError('RATE_LIMITED', 'slow down', {
      issues,
      details: { retryAfterMs: 5 },
      cause,
    });
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'slow down',
      issues,
      details: { retryAfterMs: 5 },
    });
    expect(error.cause).toBe(cause);
    expect(notImplemented('chat:send').message).toContain('"chat:send"');
  });
});

describe('client errors', () => {
  it('say which event, what was expected and what to do', () => {
    const timeout = new AckTimeoutError('list-rooms', 250);
    expect(timeout).toMatchObject({ name: 'AckTimeoutError', event: 'list-rooms', timeoutMs: 250 });
    expect(timeout.message).toMatch(/"list-rooms" within 250 ms.*expected.*timeoutMs/s);

    const reply = new ReplyValidationError('join-room', issues, { ok: 1 });
    expect(reply).toMatchObject({
      name: 'ReplyValidationError',
      event: 'join-room',
      issues,
      received: { ok: 1 },
    });
    expect(reply.message).toMatch(/"join-room".*to\.0: Invalid input.*Expected.*regenerate/s);

    const inbound = new InboundValidationError('chat:message', issues);
    expect(inbound).toMatchObject({ name: 'InboundValidationError', event: 'chat:message', issues });
    expect(inbound.message).toMatch(/"chat:message".*to\.0: Invalid input.*onInvalid/s);
  });
});
