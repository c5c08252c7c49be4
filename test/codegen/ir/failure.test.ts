/**
 * How each operation reports its failure, decided once (`ir/failure.ts`): its own error event, else its ack
 * when the reply accepts the ack template, else the namespace's error event, else only the server log.
 */
import { describe, expect, it } from 'vitest';
import type { IRNamespace, IROperation } from '../../../codegen/ir/types.js';
import {
  ackMessage,
  errorMessage,
  errorShape,
  message,
  namespace,
  receive,
  send,
  value,
} from '../validate/ir.js';

/** `sendMessage` (with the given reply and error event) in a namespace with the given error shape. */
function failureOf(
  errors: IRNamespace['errors'],
  op: { list?: boolean; errorEvent?: string; ack?: boolean },
) {
  const reply = op.list
    ? message('rooms', { payload: value({ type: 'array', items: { type: 'string' } }), examples: [] })
    : op.ack === false
      ? undefined
      : ackMessage();
  const sendMessage: IROperation = receive('sendMessage', message('send_message'), {
    reply,
    errorEvent: op.errorEvent,
  });
  const ns = namespace(
    [sendMessage, send('error', errorMessage()), send('typing_error', errorMessage())],
    errors,
  );
  return ns.receive[0]?.failure;
}

const noEvent = { ack: errorShape.ack };

const cases: [string, { given: Parameters<typeof failureOf>; want: unknown }][] = [
  [
    'its own error event wins, ack or not',
    {
      given: [errorShape, { errorEvent: 'typing_error' }],
      want: { via: 'event', event: 'typing_error', template: errorShape.payload, declaredBy: 'operation' },
    },
  ],
  [
    'an ack whose reply accepts the template',
    { given: [errorShape, {}], want: { via: 'ack', template: errorShape.ack } },
  ],
  [
    'an ack that cannot carry it (a bare list): the namespace error event',
    {
      given: [errorShape, { list: true }],
      want: { via: 'event', event: 'error', template: errorShape.payload, declaredBy: 'namespace' },
    },
  ],
  [
    'an ack that cannot carry it, and no error event: the log',
    {
      given: [noEvent, { list: true }],
      want: {
        via: 'log',
        reason: '/chat documents neither an error ack its reply accepts nor an error event (x-parley-errors)',
      },
    },
  ],
  [
    'no ack and no error event: the log',
    {
      given: [{}, { ack: false }],
      want: { via: 'log', reason: '/chat documents no error event (x-parley-errors.event)' },
    },
  ],
];

describe('failure', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(failureOf(...given)).toEqual(want);
  });
});
