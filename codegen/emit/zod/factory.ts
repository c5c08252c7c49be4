/** Builders for zod calls, so kinds write `zod(ZodFn.string)` rather than assembling property accesses. */
import { access, call, id, method, ts } from '../../print/ts.js';
import { Z, type ZodFn, type ZodMethod } from './constants.js';

type FnName = (typeof ZodFn)[keyof typeof ZodFn];
type MethodName = (typeof ZodMethod)[keyof typeof ZodMethod];

/** `z.<fn>(...args)`; `fn` may be a dotted path under `z` (`iso.datetime`). */
export function zod(fn: FnName, ...args: ts.Expression[]): ts.CallExpression {
  return call(access(Z, ...fn.split('.')), ...args);
}

/** `receiver.<name>(...args)` */
export function chain(
  receiver: ts.Expression,
  name: MethodName,
  ...args: ts.Expression[]
): ts.CallExpression {
  return method(receiver, name, ...args);
}

/** An array literal of expressions, on one line. */
export function list(items: readonly ts.Expression[]): ts.ArrayLiteralExpression {
  return ts.factory.createArrayLiteralExpression(items, false);
}

/** `new RegExp(source)`: the pattern goes through a string literal, never pasted into a regex literal. */
export function regExp(source: string): ts.NewExpression {
  return ts.factory.createNewExpression(id('RegExp'), undefined, [
    ts.factory.createStringLiteral(source, true),
  ]);
}
