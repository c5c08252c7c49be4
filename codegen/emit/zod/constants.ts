/**
 * The zod 4 names the emitter writes, so the schema-kind modules hold no magic strings.
 *
 * @see https://zod.dev/api
 */

/** The module generated files import from, and the binding they import. */
export const ZOD_MODULE = 'zod';
export const Z = 'z';

/** Functions on `z` (`z.string()`, `z.iso.datetime()`); a dotted value is a path under `z`. */
export const ZodFn = {
  array: 'array',
  boolean: 'boolean',
  discriminatedUnion: 'discriminatedUnion',
  email: 'email',
  enum: 'enum',
  int: 'int',
  intersection: 'intersection',
  isoDate: 'iso.date',
  isoDateTime: 'iso.datetime',
  literal: 'literal',
  looseObject: 'looseObject',
  never: 'never',
  null: 'null',
  number: 'number',
  object: 'object',
  record: 'record',
  strictObject: 'strictObject',
  string: 'string',
  tuple: 'tuple',
  union: 'union',
  unknown: 'unknown',
  url: 'url',
  uuid: 'uuid',
} as const;

/** Methods on a schema (`.min(1)`, `.nullable()`). */
export const ZodMethod = {
  catchall: 'catchall',
  default: 'default',
  gt: 'gt',
  lt: 'lt',
  max: 'max',
  min: 'min',
  multipleOf: 'multipleOf',
  nullable: 'nullable',
  optional: 'optional',
  regex: 'regex',
  rest: 'rest',
} as const;

/** Type helpers on `z` used for the exported types. */
export const ZodType = {
  output: 'output',
  input: 'input',
} as const;

export const INPUT_SUFFIX = 'Input';

/** The `x-parser-schema-id` the AsyncAPI parser gives every schema; components keep their key. */
export const SCHEMA_ID = 'x-parser-schema-id';
export const ANONYMOUS_ID = /^<anonymous-schema-\d+>$/;

/** String formats with a zod builder; other formats stay plain strings. A Map, so `toString` is not a format. */
export const STRING_FORMATS: ReadonlyMap<string, (typeof ZodFn)[keyof typeof ZodFn]> = new Map([
  ['date-time', ZodFn.isoDateTime],
  ['date', ZodFn.isoDate],
  ['uri', ZodFn.url],
  ['email', ZodFn.email],
  ['uuid', ZodFn.uuid],
]);
