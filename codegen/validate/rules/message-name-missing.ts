/**
 * `message-name-missing`: a message's `name` is its Socket.IO event name (for an ack, its label), so every
 * message needs one. The IR builder gives a nameless message `name: ''`.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { capitalize, describeMessage, messagesOf, type Rule } from '../rule.js';

export const messageNameMissing: Rule = (ir) =>
  messagesOf(ir)
    .filter((use) => use.message.name === '')
    .map(
      (use): Diagnostic => ({
        code: 'message-name-missing',
        severity: 'error',
        message: `${capitalize(describeMessage(use))} has no name.`,
        expected:
          use.role === 'reply'
            ? '`name`: a label for the ack (it is not sent on the wire)'
            : '`name`: the Socket.IO event name, exactly as emitted',
        fix: `Add \`name: ${use.message.key}\` (or the event name the clients use) to the message.`,
        pointer: use.message.pointer,
      }),
    );
