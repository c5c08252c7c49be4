/** A client: join #general, send a message, print the ack and what the room received. `npm run client`. */
import { io } from 'socket.io-client';
import { createChatClient } from '../generated/chat/client.gen.js';

async function main(): Promise<void> {
  const url = process.env.SERVER_URL ?? 'http://localhost:3000';
  const chat = createChatClient(io(`${url}/chat`), { validate: true, timeoutMs: 5000 });
  try {
    const received = new Promise<string>((resolve) =>
      chat.once('message:new', ({ message }) => resolve(message.text)),
    );
    const joined = await chat.roomJoin({ room: 'general' });
    if (!joined.ok) throw new Error(`join refused: ${joined.error.message}`);
    const sent = await chat.messageSend({ room: 'general', text: process.argv[2] ?? 'Hello!' });
    console.log(`ack: ${JSON.stringify(sent)}`);
    console.log(`message:new: ${await received}`);
  } finally {
    chat.socket.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
