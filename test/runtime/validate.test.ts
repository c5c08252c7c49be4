import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalContract } from '../../generated/canonical/contract.gen.js';
import { chatterboxContract } from '../../generated/chatterbox/contract.gen.js';
import { helpdeskContract } from '../../generated/helpdesk/contract.gen.js';
import { messengerContract } from '../../generated/messenger/contract.gen.js';
import { threadsContract } from '../../generated/threads/contract.gen.js';
import { workspaceContract } from '../../generated/workspace/contract.gen.js';
import type { NamespaceContract } from '../../runtime/index.js';
import { checkArgsSyncFirst, checkValueSyncFirst } from '../../runtime/validate.js';

const isPromise = (value: unknown): boolean => value instanceof Promise;

describe('checkArgsSyncFirst / checkValueSyncFirst', () => {
  it('parses every generated payload and reply synchronously (no promise)', () => {
    const contracts: NamespaceContract[] = [
      canonicalContract,
      chatterboxContract,
      helpdeskContract,
      messengerContract,
      threadsContract,
      workspaceContract,
    ];
    let schemas = 0;
    for (const contract of contracts) {
      for (const op of Object.values(contract.receive)) {
        // whatever the input: a generated schema never needs zod's asynchronous parse
        const checked = checkArgsSyncFirst(op, [{ not: 'valid' }], false);
        expect(isPromise(checked), `${contract.namespace} ${op.event}`).toBe(false);
        if (op.payload !== undefined) schemas++;
        if (op.reply !== undefined) {
          expect(isPromise(checkValueSyncFirst(op.reply, null)), `${op.event} reply`).toBe(false);
          schemas++;
        }
      }
    }
    expect(schemas).toBeGreaterThan(100);
  });

  it('gives the same answer as the asynchronous parse, issues included', async () => {
    const schema = z.object({ room: z.string().min(1, 'no room'), n: z.number().int() });
    for (const input of [{ room: 'a', n: 1 }, { room: '', n: 1.5 }, 'x', undefined]) {
      const expected = await schema.safeParseAsync(input);
      const checked = checkValueSyncFirst(schema, input);
      expect(isPromise(checked)).toBe(false);
      expect(checked).toEqual(
        expected.success
          ? { ok: true, value: expected.data }
          : {
              ok: false,
              issues: expect.arrayContaining([expect.objectContaining({ path: expect.any(Array) })]),
            },
      );
      if (!expected.success)
        expect((checked as { issues: unknown[] }).issues).toHaveLength(expected.error.issues.length);
    }
  });

  it('keeps the asynchronous parse for schemas that call application code, and runs that code once', async () => {
    let calls = 0;
    const refined = z.string().refine(async (value) => {
      calls++;
      return value !== 'taken';
    }, 'already taken');
    const first = checkValueSyncFirst(refined, 'free');
    expect(isPromise(first)).toBe(true);
    expect(await first).toEqual({ ok: true, value: 'free' });
    expect(await checkValueSyncFirst(refined, 'taken')).toEqual({
      ok: false,
      issues: [{ path: [], message: 'already taken', code: 'custom' }],
    });
    expect(calls).toBe(2);
    // nested, and through transforms, custom checks and lazy schemas too
    for (const schema of [
      z.object({ inner: z.array(z.object({ name: refined })) }),
      z.string().transform((value) => value.length),
      z.object({ at: z.string() }).superRefine(() => undefined),
      z.lazy(() => z.string()),
      z.tuple([z.string(), z.number().check(() => undefined)]),
    ]) {
      expect(isPromise(checkValueSyncFirst(schema, 'x'))).toBe(true);
    }
  });

  it('falls back to the asynchronous parse when the synchronous one meets a promise anyway', async () => {
    let calls = 0;
    const schema = z.object({
      name: z.string().refine(async (value) => {
        calls++;
        return value !== 'taken';
      }),
    });
    // hide the refinement from the scan (as a future zod could: a custom check whose definition says nothing)
    const check = (schema.shape.name as unknown as { _zod: { def: { checks: { _zod: { def: object } }[] } } })
      ._zod.def.checks[0]!._zod;
    check.def = { check: 'hidden' };
    const first = checkValueSyncFirst(schema, { name: 'free' });
    expect(isPromise(first)).toBe(true); // zod threw $ZodAsyncError: the asynchronous parse answered
    expect(await first).toEqual({ ok: true, value: { name: 'free' } });
    expect(calls).toBe(2); // the synchronous attempt ran the refinement too, and dropped its promise
    expect(await checkValueSyncFirst(schema, { name: 'taken' })).toMatchObject({
      ok: false,
      issues: [{ path: ['name'], code: 'custom' }],
    });
    expect(calls).toBe(3); // from then on, the asynchronous parse only
  });

  it("treats z.promise as asynchronous (zod's synchronous parse breaks on it inside an object)", async () => {
    const schema = z.object({ later: z.promise(z.string()) });
    const first = checkValueSyncFirst(schema, { later: 'x' });
    expect(isPromise(first)).toBe(true);
    expect(await first).toMatchObject({ ok: true });
    expect(await checkValueSyncFirst(schema, { later: 5 })).toMatchObject({
      ok: false,
      issues: [{ path: ['later'], code: 'invalid_type' }],
    });
  });

  it('throws what a schema throws (the caller answers INTERNAL)', () => {
    const schema = z.object({ a: z.string() }).transform(() => {
      throw new Error('transform bug');
    });
    // a schema with application code is parsed asynchronously: the error rejects the promise
    return expect(checkValueSyncFirst(schema, { a: 'x' })).rejects.toThrow('transform bug');
  });
});
