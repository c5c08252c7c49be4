/** Shared by the table tests: print the zod expression for a schema. */
import { createZodContext, schemaToZod, type ZodContextOptions } from '../../../codegen/emit/zod/index.js';
import type { JsonSchema } from '../../../codegen/ir/types.js';
import { printNode } from '../../../codegen/print/ts.js';

export type Case = [string, { given: JsonSchema; want: string }];

export function zodText(given: unknown, options?: ZodContextOptions): string {
  return printNode(schemaToZod(given, createZodContext(options)));
}
