/**
 * `message-name-missing`: a message's `name` is its Socket.IO event name, so every event message needs one
 * (the IR builder gives a nameless one `name: ''`). An ack is not an event: a reply without `name` is labelled
 * with its key (a warning, an error under `--strict`).
 */
import type { Diagnostic } from '../../diagnostics.js';
import { capitalize, describeMessage, messagesOf, type Rule } from '../rule.js';

export const messageNameMissing: Rule = (ir) =>
  messagesOf(ir)
    .filter((use) => use.message.name === '' || use.message.nameFromKey)
    .map(
      (use): Diagnostic => ({
        code: 'message-name-missing',
        severity: use.message.nameFromKey ? 'warning' : 'error',
        message: use.message.nameFromKey
          ? `${capitalize(describeMessage(use))} has no name; it is labelled "${use.message.key}", its key.`
          : `${capitalize(describeMessage(use))} has no name.`,
        expected:
          use.role === 'reply'
            ? '`name`: a label for the ack (it is not sent on the wire)'
            : '`name`: the Socket.IO event name, exactly as emitted',
        fix: `Add \`name: ${use.message.key}\` (or the event name the clients use) to the message.`,
        pointer: use.message.pointer,
      }),
    );
