/**
 * The validation rules on hand-built IR fragments. Each case lists every diagnostic it expects, as
 * `severity code pointer`, so a missing one and an unexpected one both fail it.
 */
import { describe, expect, it } from 'vitest';
import type { IRDocument, IROperation } from '../../../codegen/ir/types.js';
import { validate } from '../../../codegen/validate/index.js';
import { ackMessage, doc, errorMessage, errorShape, message, namespace, receive, send, value } from './ir.js';

/** A valid namespace: one receive with an ack and an effect, one without payload, two sends. */
function ops(over: { sendMessage?: IROperation; extra?: IROperation[] } = {}): IROperation[] {
  return [
    over.sendMessage ??
      receive('sendMessage', message('send_message'), {
        reply: ackMessage(),
        effects: [{ event: 'new_message', to: 'room', room: 'room' }],
      }),
    receive('ping', message('ping', { payload: { kind: 'none' }, examples: [] })),
    send('newMessage', message('new_message')),
    send('error', errorMessage()),
    ...(over.extra ?? []),
  ];
}

const valid = (over?: Parameters<typeof ops>[0], errors = errorShape): IRDocument =>
  doc(namespace(ops(over), errors));

/** A receive operation `sendMessage` with the given message, and the default ack. */
const withMessage = (msg: ReturnType<typeof message>) =>
  valid({ sendMessage: receive('sendMessage', msg, { reply: ackMessage() }) });

const withAuth = (auth: IRDocument['namespaces'][number]['auth']): IRDocument => {
  const ir = valid();
  return { ...ir, namespaces: ir.namespaces.map((ns) => ({ ...ns, auth })) };
};

interface Case {
  given: IRDocument;
  want: string[];
}

const M = '/channels/chat/messages';

const cases: [string, Case][] = [
  ['a valid namespace', { given: valid(), want: [] }],

  // message-name-missing
  [
    'an event message without name',
    {
      given: withMessage(message('send_message', { name: '' })),
      want: [`error message-name-missing ${M}/send_message`],
    },
  ],
  [
    'a reply message without name',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: { ...ackMessage(), name: '' },
        }),
      }),
      want: [`error message-name-missing ${M}/send_message_ack`],
    },
  ],

  // example-missing
  [
    'a payload without examples',
    {
      given: withMessage(message('send_message', { examples: [] })),
      want: [`warning example-missing ${M}/send_message`],
    },
  ],
  [
    'a reply payload without examples',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: { ...ackMessage(), examples: [] },
        }),
      }),
      want: [`warning example-missing ${M}/send_message_ack`],
    },
  ],
  [
    'a message used by two operations is reported once',
    (() => {
      const shared = message('new_message', { examples: [] });
      return {
        given: doc(
          namespace(
            [
              ...ops().filter((op) => op.id !== 'newMessage'),
              send('newMessage', shared),
              send('again', shared),
            ],
            errorShape,
          ),
        ),
        want: [`warning example-missing ${M}/new_message`, 'error event-duplicate /operations/again'],
      };
    })(),
  ],

  // example-invalid
  [
    'an example with a wrong type',
    {
      given: withMessage(
        message('send_message', { examples: [{ name: 'basic', payload: { room: 'r', text: 42 } }] }),
      ),
      want: [`error example-invalid ${M}/send_message/examples/0`],
    },
  ],
  [
    'every schema violation of an example is reported',
    {
      given: withMessage(
        message('send_message', {
          examples: [
            { name: 'ok', payload: { room: 'r', text: 'hi' } },
            { name: 'bad', payload: { text: '', extra: true } },
          ],
        }),
      ),
      want: [
        `error example-invalid ${M}/send_message/examples/1`,
        `error example-invalid ${M}/send_message/examples/1`,
        `error example-invalid ${M}/send_message/examples/1`,
      ],
    },
  ],
  [
    'a tuple example with a wrong argument',
    {
      given: withMessage(
        message('send_message', {
          payload: { kind: 'args', items: [{ type: 'string' }, { type: 'number' }], rest: false },
          examples: [{ payload: ['room', 3] }, { payload: ['room', 'three'] }],
        }),
      ),
      want: [`error example-invalid ${M}/send_message/examples/1`],
    },
  ],
  [
    'a tuple example with too few or too many arguments',
    {
      given: withMessage(
        message('send_message', {
          payload: { kind: 'args', items: [{ type: 'string' }, { type: 'number' }], rest: false },
          examples: [{ payload: ['room'] }, { payload: ['room', 1, 2] }],
        }),
      ),
      want: [
        `error example-invalid ${M}/send_message/examples/0`,
        `error example-invalid ${M}/send_message/examples/1`,
      ],
    },
  ],
  [
    'a reply example that does not match the reply schema',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: message('send_message_ack', {
            payload: value({ type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }),
            examples: [{ name: 'basic', payload: { ok: 'yes' } }],
          }),
        }),
      }),
      want: [`error example-invalid ${M}/send_message_ack/examples/0`],
    },
  ],
  [
    'an example payload on a message without payload',
    {
      given: valid({
        extra: [receive('pong', message('pong', { payload: { kind: 'none' }, examples: [{ payload: 1 }] }))],
      }),
      want: [`error example-invalid ${M}/pong/examples/0`],
    },
  ],
  [
    'an example without payload on a message with one',
    {
      given: withMessage(message('send_message', { examples: [{ name: 'headers-only' } as never] })),
      want: [`error example-invalid ${M}/send_message/examples/0`],
    },
  ],
  [
    'formats are checked (ajv-formats)',
    {
      given: withMessage(
        message('send_message', {
          payload: value({ type: 'string', format: 'date-time' }),
          examples: [{ payload: '2024-01-01T00:00:00Z' }, { payload: 'yesterday' }],
        }),
      ),
      want: [`error example-invalid ${M}/send_message/examples/1`],
    },
  ],
  [
    'a circular schema: examples are checked through the recursion',
    (() => {
      const node: Record<string, unknown> = {
        type: 'object',
        properties: { name: { type: 'string' } },
        'x-parser-schema-id': 'Node',
      };
      node.properties = { name: { type: 'string' }, children: { type: 'array', items: node } };
      return {
        given: withMessage(
          message('send_message', {
            payload: value(node),
            examples: [
              { payload: { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] } },
              { payload: { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] } },
            ],
          }),
        ),
        want: [`error example-invalid ${M}/send_message/examples/1`],
      };
    })(),
  ],
  [
    'example-extra: an example key AsyncAPI does not define (x-* and headers are fine)',
    {
      given: withMessage(
        message('send_message', {
          examples: [
            { name: 'basic', payload: { room: 'r', text: 'hi' }, headers: {}, 'x-note': 1, value: 3 },
          ],
        }),
      ),
      want: [`warning example-extra ${M}/send_message/examples/0`],
    },
  ],
  [
    'schema-uncompilable: a $ref the parser left unresolved',
    {
      given: withMessage(message('send_message', { payload: value({ $ref: '#/Payload' }) })),
      want: [`warning schema-uncompilable ${M}/send_message`],
    },
  ],

  // event-duplicate
  [
    'two receive operations for one event',
    {
      given: valid({
        extra: [
          receive('sendMessageAgain', message('send_message_2', { name: 'send_message' }), {
            reply: ackMessage(),
          }),
        ],
      }),
      want: ['error event-duplicate /operations/sendMessageAgain'],
    },
  ],
  [
    'two send operations for one event',
    {
      given: valid({ extra: [send('newMessage2', message('new_message_2', { name: 'new_message' }))] }),
      want: ['error event-duplicate /operations/newMessage2'],
    },
  ],
  [
    'the same event in both directions is allowed',
    { given: valid({ extra: [send('echo', message('echo', { name: 'send_message' }))] }), want: [] },
  ],
  [
    'the same event in two namespaces is allowed',
    { given: doc(namespace(ops(), errorShape), namespace(ops(), errorShape, '/other', 'other')), want: [] },
  ],

  // effects
  [
    'an effect that emits an event the namespace does not send',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: ackMessage(),
          effects: [{ event: 'message_sent', to: 'sender' }],
        }),
      }),
      want: ['error effect-unknown-event /operations/sendMessage/x-parley-effects/0/event'],
    },
  ],
  [
    'an effect to a room without `room`, and to a user without `target`',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: ackMessage(),
          effects: [
            { event: 'new_message', to: 'room-others' },
            { event: 'new_message', to: 'target-user' },
            { event: 'new_message', to: 'everyone' },
          ],
        }),
      }),
      want: [
        'error effect-room-missing /operations/sendMessage/x-parley-effects/0',
        'error effect-room-missing /operations/sendMessage/x-parley-effects/1',
      ],
    },
  ],
  [
    'an effect whose room field the payload does not declare',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: ackMessage(),
          effects: [
            { event: 'new_message', to: 'room', room: 'conversation' },
            { event: 'new_message', to: 'target-user', target: 'text' },
          ],
        }),
      }),
      want: ['error effect-field-unknown /operations/sendMessage/x-parley-effects/0/room'],
    },
  ],
  [
    'carries: paths both payloads declare pass; one either lacks is named',
    {
      given: valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: ackMessage(),
          effects: [
            { event: 'new_message', to: 'room', room: 'room', carries: { text: 'text', room: 'room' } },
            { event: 'new_message', to: 'room', room: 'room', carries: { 'message.text': 'text' } },
            { event: 'new_message', to: 'room', room: 'room', carries: { text: 'body' } },
          ],
        }),
      }),
      want: [
        'error effect-carries-unknown /operations/sendMessage/x-parley-effects/1/carries',
        'error effect-carries-unknown /operations/sendMessage/x-parley-effects/2/carries',
      ],
    },
  ],
  [
    'a room field declared by the emitted event only is accepted',
    {
      given: valid({
        sendMessage: receive(
          'sendMessage',
          message('send_message', {
            payload: value({ type: 'object', properties: { id: { type: 'string' } } }),
            examples: [{ payload: { id: '1' } }],
          }),
          {
            reply: ackMessage(),
            effects: [{ event: 'new_message', to: 'room', room: 'room' }],
          },
        ),
      }),
      want: [],
    },
  ],
  [
    "a room field when the operation's payload is a tuple",
    {
      given: valid({
        sendMessage: receive(
          'sendMessage',
          message('send_message', {
            payload: { kind: 'args', items: [{ type: 'string' }], rest: false },
            examples: [{ payload: ['r'] }],
          }),
          { reply: ackMessage(), effects: [{ event: 'error', to: 'room', room: 'room' }] },
        ),
      }),
      want: ['error effect-field-unknown /operations/sendMessage/x-parley-effects/0/room'],
    },
  ],
  [
    'fields declared inside allOf count',
    {
      given: valid({
        sendMessage: receive(
          'sendMessage',
          message('send_message', {
            payload: value({ allOf: [{ type: 'object', properties: { chat: { type: 'string' } } }] }),
            examples: [{ payload: { chat: 'c' } }],
          }),
          { reply: ackMessage(), effects: [{ event: 'error', to: 'room', room: 'chat' }] },
        ),
      }),
      want: [],
    },
  ],

  // error events and templates
  [
    'a namespace error event that is not sent',
    {
      given: valid(undefined, { ...errorShape, event: 'oops' }),
      want: ['error error-event-unknown /channels/chat/x-parley-errors/event'],
    },
  ],
  [
    "an operation's error event that is not sent",
    {
      given: valid({
        extra: [
          receive('typing', message('typing', { payload: { kind: 'none' }, examples: [] }), {
            errorEvent: 'typing_error',
          }),
        ],
      }),
      want: ['error error-event-unknown /operations/typing/x-parley-error-event'],
    },
  ],
  [
    'a payload template that does not match the error event (reported once for two operations)',
    {
      given: valid(
        { extra: [receive('typing', message('typing', { payload: { kind: 'none' }, examples: [] }))] },
        { ...errorShape, payload: { code: '{code}', text: '{message}' } },
      ),
      want: [
        'error error-template-invalid /channels/chat/x-parley-errors/payload',
        'error error-template-invalid /channels/chat/x-parley-errors/payload',
      ],
    },
  ],
  [
    "the payload template is checked against an operation's own error event",
    {
      given: valid(
        {
          extra: [
            receive('typing', message('typing', { payload: { kind: 'none' }, examples: [] }), {
              errorEvent: 'typing_failed',
            }),
            send(
              'typingFailed',
              message('typing_failed', { payload: value({ type: 'string' }), examples: [{ payload: 'x' }] }),
            ),
          ],
        },
        errorShape,
      ),
      want: ['error error-template-invalid /channels/chat/x-parley-errors/payload'],
    },
  ],
  [
    'an error event with a payload but no payload template',
    {
      given: valid(undefined, { event: 'error', ack: errorShape.ack }),
      want: ['error error-template-invalid /channels/chat/x-parley-errors'],
    },
  ],
  [
    'operations with an ack but no ack template',
    {
      given: valid(undefined, { event: 'error', payload: errorShape.payload }),
      want: ['warning error-template-invalid /channels/chat/x-parley-errors'],
    },
  ],
  [
    'an ack template that does not match the reply',
    {
      given: valid(undefined, { ...errorShape, ack: { ok: false, error: '{message}' } }),
      // one per ajv error: each oneOf branch's, and the oneOf's own
      want: Array(4).fill('warning error-template-invalid /channels/chat/x-parley-errors/ack'),
    },
  ],
  [
    'no operation with an ack: no ack template needed',
    {
      given: valid(
        {
          sendMessage: receive('sendMessage', message('send_message'), {
            effects: [{ event: 'new_message', to: 'room', room: 'room' }],
          }),
        },
        { event: 'error', payload: errorShape.payload },
      ),
      want: [],
    },
  ],

  // identifier-collision
  [
    'two message keys with the same type name',
    {
      given: valid({ extra: [send('newMessage2', message('newMessage', { name: 'message_new' }))] }),
      want: [`error identifier-collision ${M}/newMessage`],
    },
  ],
  [
    'two receive events with the same client method',
    {
      given: valid({
        extra: [
          receive('sendMessageDash', message('send-message-dash', { name: 'send-message' }), {
            reply: ackMessage(),
          }),
        ],
      }),
      want: ['error identifier-collision /operations/sendMessageDash'],
    },
  ],
  [
    'a component named like a generated payload const is renamed, with a warning',
    {
      given: valid({
        extra: [
          send(
            'notice',
            message('notice', {
              payload: value({ 'x-parser-schema-id': 'SendMessagePayload', type: 'string' }),
              examples: [{ payload: 'maintenance at noon' }],
            }),
          ),
        ],
      }),
      want: ['warning component-renamed /components/schemas/SendMessagePayload'],
    },
  ],

  // auth
  [
    'x-parley-auth naming events that exist, with a reject template that fits',
    {
      given: withAuth({
        handshake: ['auth.token'],
        event: 'ping',
        welcome: 'new_message',
        reject: { event: 'error', payload: { code: 'FORBIDDEN', message: '{message}' } },
      }),
      want: [],
    },
  ],
  [
    'x-parley-auth naming a server event as its auth event, and unknown welcome and reject events',
    {
      given: withAuth({
        handshake: [],
        event: 'new_message',
        welcome: 'hello',
        reject: { event: 'nope', payload: {} },
      }),
      want: [
        'error auth-event-unknown /channels/chat/x-parley-auth/event',
        'error auth-event-unknown /channels/chat/x-parley-auth/welcome',
        'error auth-event-unknown /channels/chat/x-parley-auth/reject/event',
      ],
    },
  ],
  [
    'an x-parley-auth reject template that does not fit its event',
    {
      // `{code}` is UNAUTHENTICATED, which this error event's enum lacks; and `reason` is not a field of it.
      given: withAuth({
        handshake: ['auth.token'],
        reject: { event: 'error', payload: { code: '{code}', reason: '{message}' } },
      }),
      want: [
        'error auth-reject-invalid /channels/chat/x-parley-auth/reject/payload',
        'error auth-reject-invalid /channels/chat/x-parley-auth/reject/payload',
        'error auth-reject-invalid /channels/chat/x-parley-auth/reject/payload',
      ],
    },
  ],
  [
    'send events may share a method stem (no client method)',
    {
      given: valid({ extra: [send('newMessageDash', message('new-message-dash', { name: 'new-message' }))] }),
      want: [],
    },
  ],
];

const summary = (ir: IRDocument) => validate(ir).map((d) => `${d.severity} ${d.code} ${d.pointer}`);
/** The strict rule's findings only (the fragments below have no examples, which other rules report). */
const unboundedOf = (ir: IRDocument, strict = true) =>
  validate(ir, { strict })
    .filter((d) => d.code === 'unbounded')
    .map((d) => `${d.severity} ${d.code} ${d.pointer}`);

describe('validate', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(summary(given)).toEqual(want);
  });
});

/** A receive operation whose payload is `schema`, with no example (strict rules only look at schemas). */
const sending = (schema: Record<string, unknown>, action: 'receive' | 'send' = 'receive') =>
  doc(
    namespace(
      [
        action === 'receive'
          ? receive('sendMessage', message('send_message', { payload: value(schema), examples: [] }))
          : send('newMessage', message('new_message', { payload: value(schema), examples: [] })),
        send('error', errorMessage()),
      ],
      errorShape,
    ),
  );
const P = `${M}/send_message/payload`;
const ID = { type: 'string', 'x-parser-schema-id': 'Id' };

const strictCases: [string, Case][] = [
  ['a bounded string', { given: sending({ type: 'string', maxLength: 10 }), want: [] }],
  ['a string without maxLength', { given: sending({ type: 'string' }), want: [`error unbounded ${P}`] }],
  [
    'strings bounded by enum, const or a fixed-shape format',
    {
      given: sending({
        type: 'object',
        properties: {
          a: { type: 'string', enum: ['x'] },
          b: { type: 'string', const: 'y' },
          c: { type: 'string', format: 'date-time' },
          d: { type: 'string', format: 'uri' },
        },
      }),
      want: [`error unbounded ${P}/properties/d`],
    },
  ],
  [
    'a nullable string, a list and its items',
    {
      given: sending({
        type: 'object',
        properties: {
          name: { oneOf: [{ type: 'string' }, { type: 'null' }] },
          ids: { type: 'array', items: { type: 'string' } },
        },
      }),
      want: [
        `error unbounded ${P}/properties/name/oneOf/0`,
        `error unbounded ${P}/properties/ids`,
        `error unbounded ${P}/properties/ids/items`,
      ],
    },
  ],
  [
    'a closed tuple needs no maxItems; a rest tuple does',
    {
      given: sending({
        type: 'object',
        properties: {
          closed: { type: 'array', items: [{ type: 'integer' }], additionalItems: false },
          rest: { type: 'array', items: [{ type: 'integer' }], additionalItems: { type: 'integer' } },
        },
      }),
      want: [`error unbounded ${P}/properties/rest`],
    },
  ],
  [
    'a map without maxProperties',
    {
      given: sending({ type: 'object', additionalProperties: { type: 'integer' } }),
      want: [`error unbounded ${P}`],
    },
  ],
  [
    'a component is reported once, where it is written (the parser inlines a $ref as the same object)',
    {
      given: sending({
        type: 'object',
        properties: { a: ID, b: ID, c: { type: 'array', maxItems: 2, items: ID } },
      }),
      want: ['error unbounded /components/schemas/Id'],
    },
  ],
  ['what the server sends is not checked', { given: sending({ type: 'string' }, 'send'), want: [] }],
];

describe('validate --strict: unbounded', () => {
  it.each(strictCases)('%s', (_name, { given, want }) => {
    expect(unboundedOf(given)).toEqual(want);
  });

  it('is silent without --strict', () => {
    expect(unboundedOf(sending({ type: 'string' }), false)).toEqual([]);
  });

  it('says what to add', () => {
    const [d] = validate(sending({ type: 'array', items: { type: 'integer' } }), { strict: true }).filter(
      (x) => x.code === 'unbounded',
    );
    expect(d).toEqual({
      code: 'unbounded',
      severity: 'error',
      message: 'A list in a payload has no maxItems.',
      expected: '`maxItems` (or a closed tuple: `items: [...]` with `additionalItems: false`)',
      fix: 'Add `maxItems:` with the most items one request may carry.',
      pointer: P,
    });
  });
});

describe('messages', () => {
  it('message-name-missing names the message and the namespace', () => {
    const [d] = validate(withMessage(message('send_message', { name: '' })));
    expect(d).toEqual({
      code: 'message-name-missing',
      severity: 'error',
      message: 'Message "send_message" in namespace /chat has no name.',
      expected: '`name`: the Socket.IO event name, exactly as emitted',
      fix: 'Add `name: send_message` (or the event name the clients use) to the message.',
      pointer: '/channels/chat/messages/send_message',
    });
  });

  it('example-invalid says where in the payload and what the schema expected', () => {
    const ds = validate(
      withMessage(message('send_message', { examples: [{ name: 'bad', payload: { text: 7, extra: 1 } }] })),
    );
    expect(ds.map((d) => [d.message, d.expected])).toEqual([
      [
        'Example "bad" of message "send_message" in namespace /chat does not match its payload schema: payload must have required property \'room\'.',
        'payload: the property "room"',
      ],
      [
        'Example "bad" of message "send_message" in namespace /chat does not match its payload schema: payload must not have the property "extra".',
        'payload: only the properties the schema declares (additionalProperties: false)',
      ],
      [
        'Example "bad" of message "send_message" in namespace /chat does not match its payload schema: payload/text must be string.',
        'payload/text: type: "string"',
      ],
    ]);
  });

  it('event-duplicate names both operations and the direction', () => {
    const ds = validate(
      valid({ extra: [send('newMessage2', message('new_message_2', { name: 'new_message' }))] }),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'Namespace /chat has two send operations for event "new_message": "newMessage" and "newMessage2".',
    ]);
  });

  it('effect-unknown-event lists the events the namespace sends', () => {
    const [d] = validate(
      valid({
        sendMessage: receive('sendMessage', message('send_message'), {
          reply: ackMessage(),
          effects: [{ event: 'message_sent', to: 'sender' }],
        }),
      }),
    );
    expect(d?.message).toBe(
      'Effect 0 of operation "sendMessage" in namespace /chat emits "message_sent", which namespace /chat does not send.',
    );
    expect(d?.expected).toBe('an event that /chat sends: "new_message", "error"');
  });

  it('error-template-invalid says which operation the template was filled in for', () => {
    const ds = validate(valid(undefined, { ...errorShape, payload: { code: 'NOPE', message: '{message}' } }));
    expect(ds.map((d) => d.message)).toEqual([
      'x-parley-errors.payload of namespace /chat, filled in for operation "ping", does not match the payload of error event "error": payload/code must be one of "VALIDATION_FAILED", "FORBIDDEN", "INTERNAL".',
    ]);
  });

  it('identifier-collision names the method', () => {
    const ds = validate(
      valid({ extra: [receive('dash', message('dash', { name: 'send-message' }), { reply: ackMessage() })] }),
    );
    expect(ds.map((d) => d.message)).toEqual([
      'Events "send_message" (operation "sendMessage") and "send-message" (operation "dash") in namespace /chat both become the client method sendMessage().',
    ]);
  });
});
