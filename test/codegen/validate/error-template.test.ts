/**
 * `renderErrorTemplate`: the semantics the compiler checks templates with and the runtime fills them in with.
 */
import { describe, expect, it } from 'vitest';
import { type ErrorTemplateVars, renderErrorTemplate } from '../../../codegen/validate/error-template.js';

const vars: ErrorTemplateVars = {
  code: 'FORBIDDEN',
  message: 'Not your room',
  event: 'join_room',
  issues: [{ path: ['room'], message: 'Required' }],
};

describe('renderErrorTemplate', () => {
  const cases: [string, { given: unknown; want: unknown }][] = [
    ['a whole-string placeholder', { given: '{code}', want: 'FORBIDDEN' }],
    ['{issues} as a whole value becomes the array', { given: '{issues}', want: vars.issues }],
    [
      'placeholders inside longer strings',
      { given: '{event} failed: {message} ({code})', want: 'join_room failed: Not your room (FORBIDDEN)' },
    ],
    ['{issues} inside a longer string is left as written', { given: 'see {issues}', want: 'see {issues}' }],
    ['unknown placeholders are left as written', { given: '{nope}', want: '{nope}' }],
    ['other values are kept', { given: [1, true, null, 'x'], want: [1, true, null, 'x'] }],
    [
      'objects and arrays are rendered value by value, keys untouched',
      {
        given: {
          ok: false,
          error: { code: '{code}', '{message}': '{message}', issues: '{issues}' },
          list: ['{event}'],
        },
        want: {
          ok: false,
          error: { code: 'FORBIDDEN', '{message}': 'Not your room', issues: vars.issues },
          list: ['join_room'],
        },
      },
    ],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    expect(renderErrorTemplate(given, vars)).toEqual(want);
  });

  it('does not modify the template', () => {
    const template = { code: '{code}', nested: ['{message}'] };
    renderErrorTemplate(template, vars);
    expect(template).toEqual({ code: '{code}', nested: ['{message}'] });
  });
});
