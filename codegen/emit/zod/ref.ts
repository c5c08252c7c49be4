/**
 * A reference to a component's const. The parser has inlined every `$ref`, so a component met inside another
 * schema is printed as its name, never again in full.
 */
import { id, type ts } from '../../print/ts.js';
import type { ZodContext } from './context.js';

export function refToZod(name: string, ctx: ZodContext): ts.Expression {
  // The caller's object property becomes a getter when the const is not initialised yet here.
  if (ctx.pending.has(name)) ctx.scope.defer = true;
  if (ctx.cycle.has(name)) ctx.scope.cyclic = true;
  return id(name);
}
