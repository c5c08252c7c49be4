/**
 * `unbounded` (strict only): every string, list and map a client may send has a bound (`maxLength`,
 * `maxItems`, `maxProperties`), so a hostile client cannot make the server validate, store or relay as much as
 * it likes, and an error that lists what is wrong stays small. What the server sends (events, acks) is bounded
 * by what it accepted and by its own pages; its schemas are not checked here. Under `--strict` (this repository's own spec) an
 * unbounded one is an error; otherwise the rule is silent: a spec that comes from elsewhere is not refused for
 * it.
 *
 * Bounded without a keyword: a string with `enum`, `const` or a `format` whose values have a fixed shape
 * (`date-time`, `uuid`, …); a closed tuple (`items: [...]` with `additionalItems: false`, or `prefixItems` with
 * `items: false`). Each schema node is reported once, where it is written: a component's at the component.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { componentName } from '../../ir/json-schema.js';
import type { JsonSchema } from '../../ir/types.js';
import { messagesOf, type Rule } from '../rule.js';

/** Formats whose values have a bounded length. */
const FIXED_FORMATS = new Set(['date-time', 'date', 'time', 'uuid', 'ipv4', 'ipv6']);

/** Keywords whose value is one schema, a list of schemas, or a map of schemas. */
const SCHEMA_KEYWORDS = ['items', 'additionalItems', 'prefixItems', 'additionalProperties', 'not'];
const LIST_KEYWORDS = ['oneOf', 'anyOf', 'allOf'];
const MAP_KEYWORDS = ['properties', 'patternProperties'];

export const unbounded: Rule = (ir, { strict }) => {
  if (!strict) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<object>();

  const check = (schema: JsonSchema, pointer: string): void => {
    const problem = unboundedOf(schema);
    if (problem) out.push({ code: 'unbounded', severity: 'error', pointer, ...problem });
  };

  const walk = (value: unknown, pointer: string): void => {
    if (!isSchema(value) || seen.has(value)) return;
    seen.add(value);
    const component = componentName(value);
    const at = component ? `/components/schemas/${pointerToken(component)}` : pointer;
    check(value, at);
    for (const [child, childPointer] of childrenOf(value, at)) walk(child, childPointer);
  };

  for (const { message, operation, role } of messagesOf(ir)) {
    if (operation.action !== 'receive' || role !== 'event') continue;
    const { payload } = message;
    if (payload.kind === 'value') walk(payload.schema, `${message.pointer}/payload`);
    if (payload.kind === 'args') {
      for (const [i, item] of payload.items.entries()) walk(item, `${message.pointer}/payload/items/${i}`);
    }
  }
  return out;
};

/** The schemas directly inside `schema`, with their pointers. */
function childrenOf(schema: JsonSchema, at: string): [unknown, string][] {
  const out: [unknown, string][] = [];
  for (const key of [...SCHEMA_KEYWORDS, ...LIST_KEYWORDS]) {
    const child = schema[key];
    if (Array.isArray(child))
      out.push(...child.map((item, i): [unknown, string] => [item, `${at}/${key}/${i}`]));
    else if (child !== undefined) out.push([child, `${at}/${key}`]);
  }
  for (const key of MAP_KEYWORDS) {
    const map = schema[key];
    if (!isSchema(map)) continue;
    for (const [name, child] of Object.entries(map)) out.push([child, `${at}/${key}/${pointerToken(name)}`]);
  }
  return out;
}

/** What is unbounded about this one schema node (not its children), or undefined. */
function unboundedOf(schema: JsonSchema): Omit<Diagnostic, 'code' | 'severity' | 'pointer'> | undefined {
  const types = typesOf(schema);
  if (types.has('string') && schema.maxLength === undefined && !fixed(schema)) {
    return {
      message: 'A string in a payload has no maxLength.',
      expected: '`maxLength` (or `enum`, `const`, or a fixed-shape `format` such as `date-time` or `uuid`)',
      fix: 'Add `maxLength:` with the longest value the protocol accepts (an id: 64 to 128; a URL: 2048; text: what a message may hold).',
    };
  }
  if (types.has('array') && schema.maxItems === undefined && !closedTuple(schema)) {
    return {
      message: 'A list in a payload has no maxItems.',
      expected: '`maxItems` (or a closed tuple: `items: [...]` with `additionalItems: false`)',
      fix: 'Add `maxItems:` with the most items one request may carry.',
    };
  }
  if (isSchema(schema.additionalProperties) && schema.maxProperties === undefined) {
    return {
      message: 'A map in a payload (`additionalProperties` with a schema) has no maxProperties.',
      expected: '`maxProperties`',
      fix: 'Add `maxProperties:` with the most keys one request may carry.',
    };
  }
  return undefined;
}

function typesOf(schema: JsonSchema): Set<string> {
  const type = schema.type;
  if (typeof type === 'string') return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((t): t is string => typeof t === 'string'));
  return new Set();
}

function fixed(schema: JsonSchema): boolean {
  return (
    Array.isArray(schema.enum) ||
    schema.const !== undefined ||
    (typeof schema.format === 'string' && FIXED_FORMATS.has(schema.format))
  );
}

function closedTuple(schema: JsonSchema): boolean {
  if (Array.isArray(schema.items)) return schema.additionalItems === false;
  return Array.isArray(schema.prefixItems) && schema.items === false;
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON pointer token. */
function pointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
