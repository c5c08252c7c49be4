// What a web page does with the browser build: served beside it (`/messenger.js`) by test/client/browser.test.ts
// and run in Chromium. Plain JavaScript, as a page would have it.
import { createMessengerClient, io } from './messenger.js';

/** A connected socket; `transports` records the handshake's transport and the one it upgraded to. */
function connect(url, token) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/messenger`, { auth: { token }, reconnection: false });
    socket.transports = { opened: undefined, upgraded: undefined };
    socket.upgraded = new Promise((upgraded) => {
      socket.io.once('open', () => {
        socket.transports.opened = socket.io.engine.transport.name;
        socket.io.engine.once('upgrade', (transport) => {
          socket.transports.upgraded = transport.name;
          upgraded();
        });
      });
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Alice sends, bob receives, with the default transports; then REST: an upload (preflighted) and the history. */
export async function exchange(url, tokens) {
  const [a, b] = await Promise.all([connect(url, tokens.alice), connect(url, tokens.bob)]);
  const alice = createMessengerClient(a);
  const bob = createMessengerClient(b);
  const received = new Promise((resolve) => bob.on('receive_message', resolve));
  const ack = await alice.sendMessage({
    conversationId: 'alice-bob',
    content: 'from a browser',
    type: 'text',
  });
  await Promise.race([a.upgraded, new Promise((resolve) => setTimeout(resolve, 5000))]);
  const form = new FormData();
  form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
  const headers = { authorization: `Bearer ${tokens.alice}` };
  const upload = await fetch(`${url}/api/upload`, { method: 'POST', body: form, headers });
  const history = await fetch(`${url}/api/messages?channelId=general`, { headers });
  a.disconnect();
  b.disconnect();
  return {
    transports: a.transports,
    ack,
    received: await received,
    upload: upload.status,
    history: history.status,
  };
}

/** A validating client: its ack is checked against the schemas, which load now. */
export async function validated(url, token) {
  const socket = await connect(url, token);
  const alice = createMessengerClient(socket, { validate: true });
  const ack = await alice.sendMessage({ conversationId: 'alice-bob', content: 'validated', type: 'text' });
  socket.disconnect();
  return ack.success === true && ack.message.content === 'validated';
}

/** From an origin the server does not allow: the handshake's error, and what a REST call gets. */
export async function refused(url, token) {
  const handshake = await connect(url, token).then(
    (socket) => {
      socket.disconnect();
      return 'connected';
    },
    (error) => error.message,
  );
  const rest = await fetch(`${url}/api/messages?channelId=general`, {
    headers: { authorization: `Bearer ${token}` },
  }).then(
    (res) => `read ${res.status}`,
    (error) => error.name,
  );
  return { handshake, rest };
}
