/**
 * The error templates of `x-parley-errors` (`payload`, `ack`): JSON values with placeholders. The compiler
 * checks them with sample values; the runtime fills them in with the real ones, with these same semantics.
 */

/** The values a template is filled in with. Other names may be added; they follow the same rules. */
export interface ErrorTemplateVars {
  readonly code: string;
  readonly message: string;
  readonly event: string;
  readonly issues: readonly unknown[];
  readonly [name: string]: unknown;
}

const WHOLE = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const INSIDE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fill in a template. A string that is exactly `{name}` becomes the value of `name`, whatever its type (so
 * `'{issues}'` becomes the array); `{name}` inside a longer string is replaced by the value's text when it
 * is a string, number or boolean. Unknown placeholders are left as written. Arrays and objects are rendered
 * value by value (keys are not); other values are returned as they are. The template is not modified.
 */
export function renderErrorTemplate(template: unknown, vars: ErrorTemplateVars): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole && Object.hasOwn(vars, whole[1]!)) return vars[whole[1]!];
    return template.replace(INSIDE, (match, name: string) => {
      const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : match;
    });
  }
  if (Array.isArray(template)) return template.map((item) => renderErrorTemplate(item, vars));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, renderErrorTemplate(value, vars)]),
    );
  }
  return template;
}
