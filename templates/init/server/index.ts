/** The server: Socket.IO on one HTTP server, the generated `/chat` binding with its handlers, and the reset hook. */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { registerChat } from '../generated/chat/server.gen.js';
import { chatHandlers } from './handlers/chat.js';
import { RESET_PATH, resetHook } from './reset.js';

const port = Number(process.env.PORT ?? 3000);
const secret = process.env.PARLEY_TEST_SECRET || undefined;

const http = createServer();
const io = new Server(http, { cors: { origin: '*' } });
const chat = io.of('/chat');
registerChat(chat, chatHandlers);
const reset = resetHook([chat], secret);
http.on('request', (request, response) => {
  // Socket.IO answers its own path (/socket.io/); everything else comes here.
  if (request.url?.startsWith('/socket.io/')) return;
  reset(request, response)
    .then((handled) => {
      if (!handled) response.writeHead(404).end();
    })
    .catch((error: unknown) => {
      console.error(error);
      response.writeHead(500).end();
    });
});

http.listen(port, () => {
  const address = http.address();
  console.log(
    `listening on http://localhost:${typeof address === 'object' && address ? address.port : port} (namespace /chat)`,
  );
  if (secret) console.log(`reset hook: POST ${RESET_PATH} is on (PARLEY_TEST_SECRET); never in production`);
});

const stop = () => io.close(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
