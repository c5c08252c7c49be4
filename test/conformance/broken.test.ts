/**
 * The harness catches broken servers: each is the reference server with one fault put in from outside (a
 * Socket.IO middleware that tampers with acks or payloads, or a hook on the namespace's adapter that tampers
 * with broadcasts), and each makes the harness fail with a message that names the fault.
 */
import type { Namespace } from 'socket.io';
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../conformance/index.js';
import type { RunningServer, ServerOptions } from '../../server/app.js';
import { conformance, failureMessages, startConformanceServer } from './helpers.js';

type Packet = { type: number; data: unknown[]; nsp: string };
type BroadcastOptions = { rooms: Set<string>; except: Set<string>; flags?: Record<string, unknown> };
type Broadcast = (packet: Packet, options: BroadcastOptions) => void;

/** The reference server with `tamper` applied to its `/messenger` namespace, and the harness run against it. */
async function runBroken(
  tamper: (nsp: Namespace, server: RunningServer) => void,
  grep: string,
  options: ServerOptions = {},
): Promise<ConformanceReport> {
  const t = await startConformanceServer(options);
  try {
    tamper(t.server.io.of('/messenger'), t.server);
    return await conformance(t.server, { namespaces: ['/messenger'], grep, timeoutMs: 600 });
  } finally {
    await t.close();
  }
}

/** Replaces the ack callback of every `event` the server receives (a socket middleware, before the handlers). */
function tamperAcks(
  nsp: Namespace,
  event: string,
  replace: (ack: (...args: unknown[]) => void) => (...args: unknown[]) => void,
) {
  nsp.use((socket, next) => {
    socket.use((packet, proceed) => {
      const ack = packet.at(-1);
      if (packet[0] === event && typeof ack === 'function') {
        packet[packet.length - 1] = replace(ack as (...args: unknown[]) => void);
      }
      proceed();
    });
    next();
  });
}

/** Lets `edit` rewrite or drop (`null`) every broadcast of the namespace (rooms, `except`, everyone). */
function tamperBroadcasts(
  nsp: Namespace,
  edit: (event: string, options: BroadcastOptions) => BroadcastOptions | null,
) {
  const adapter = nsp.adapter as unknown as { broadcast: Broadcast };
  const original = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) => {
    const edited = edit(String(packet.data[0]), options);
    if (edited) original(packet, edited);
  };
}

const SEND_TEXT = 'send_message › example "text"';

/** Appends a string, like the offset Socket.IO's recovery appends, to every broadcast: not one the harness may take off. */
function appendArgument(nsp: Namespace) {
  const adapter = nsp.adapter as unknown as { broadcast: Broadcast };
  const original = adapter.broadcast.bind(adapter);
  adapter.broadcast = (packet, options) => {
    packet.data.push('0-1');
    original(packet, options);
  };
}

describe('the harness catches a server that', () => {
  it('drops a field from an ack', async () => {
    const report = await runBroken((nsp) => {
      tamperAcks(nsp, 'send_message', (ack) => (reply) => {
        const { message } = reply as { message?: Record<string, unknown> };
        if (message) delete message.status;
        ack(reply);
      });
    }, SEND_TEXT);
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /send_message › example "text": the acknowledgement of "send_message" does not match the reply schema: .*payload\/message.*required property 'status'/,
      ),
    );
  });

  it('broadcasts something else than was sent', async () => {
    const report = await runBroken((nsp) => {
      const adapter = nsp.adapter as unknown as { broadcast: Broadcast };
      const original = adapter.broadcast.bind(adapter);
      adapter.broadcast = (packet, options) => {
        const [event, payload] = packet.data as [string, { message?: { content?: string } }];
        if (event === 'receive_message' && payload.message) payload.message.content = 'Something else';
        original(packet, options);
      };
    }, SEND_TEXT);
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /send_message › example "text": observer \(user_456\) received "receive_message" with message\.content "Something else", not the request's content \(x-parley-effects carries\)/,
      ),
    );
  });

  it('does not broadcast', async () => {
    const report = await runBroken((nsp) => {
      tamperBroadcasts(nsp, (event, options) => (event === 'receive_message' ? null : options));
    }, SEND_TEXT);
    expect(report.ok).toBe(false);
    const messages = failureMessages(report);
    expect(messages).toContainEqual(
      expect.stringMatching(/observer \(user_456\) did not receive "receive_message" within 600 ms/),
    );
  });

  it('broadcasts to a non-member', async () => {
    const report = await runBroken((nsp) => {
      // Every socket of the namespace, instead of the conversation's room.
      tamperBroadcasts(nsp, (event, options) =>
        event === 'receive_message' ? { ...options, rooms: new Set() } : options,
      );
    }, SEND_TEXT);
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /outsider \(user_789, not a member of conv_123\) received "receive_message", which goes to the members of room conv_123/,
      ),
    );
  });

  it('accepts an invalid payload', async () => {
    const report = await runBroken((nsp) => {
      // A lenient server: unknown properties are dropped instead of refused.
      nsp.use((socket, next) => {
        socket.use((packet, proceed) => {
          const payload = packet[1] as Record<string, unknown> | undefined;
          if (packet[0] === 'send_message' && payload && typeof payload === 'object')
            delete payload.__parley_unknown;
          proceed();
        });
        next();
      });
    }, 'send_message › rejects unknown property');
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /the server accepted a payload with unknown property "__parley_unknown": "send_message" was acknowledged as a success/,
      ),
    );
  });

  it('appends an argument the spec does not declare (as connection state recovery does)', async () => {
    const report = await runBroken(appendArgument, SEND_TEXT);
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /send_message › example "text": .* received "receive_message" with 2 arguments, 1 more than the spec declares: "0-1" \(a client with one parameter per documented argument cannot take it\)/,
      ),
    );
  });

  it('appends an undeclared argument besides the recovery offset it announced', async () => {
    const report = await runBroken(appendArgument, SEND_TEXT, { recovery: true });
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /received "receive_message" with 2 arguments, 1 more than the spec declares: "0-1"/,
      ),
    );
  });

  it('never acks', async () => {
    const report = await runBroken((nsp) => {
      tamperAcks(nsp, 'send_message', () => () => {});
    }, SEND_TEXT);
    expect(report.ok).toBe(false);
    expect(failureMessages(report)).toContainEqual(
      expect.stringMatching(
        /send_message › example "text": no acknowledgement for "send_message" within 600 ms/,
      ),
    );
  });
});

describe('the harness accepts a server with connection state recovery (--recovery)', () => {
  it('takes off the one offset it announced in the handshake, and passes', async () => {
    const report = await runBroken(() => {}, SEND_TEXT, { recovery: true });
    expect(failureMessages(report)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
