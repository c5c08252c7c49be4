/**
 * `parley conformance --wait`: a server started in the background (`npm start &` in CI) takes a few seconds
 * to listen; the harness waits for it instead of failing its first case.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchFailure } from './reset.js';

/** How often to try while waiting. */
const POLL_MS = 250;

/**
 * Resolves once `url` answers any HTTP request (the Engine.IO handshake path, which every Socket.IO server
 * serves); rejects after `timeoutMs` with the last reason it could not connect, or with `signal`'s reason.
 */
export async function waitForServer(url: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const probe = new URL('/socket.io/?EIO=4&transport=polling', url).href;
  const deadline = Date.now() + timeoutMs;
  let reason = 'no attempt';
  while (Date.now() < deadline) {
    // Given up on (`--serve`: the server's command exited): stop polling, so the process can end.
    if (signal?.aborted) throw signal.reason;
    try {
      const response = await fetch(probe, { signal: AbortSignal.timeout(Math.max(POLL_MS, 1000)) });
      await response.body?.cancel();
      return;
    } catch (error) {
      reason = fetchFailure(error);
    }
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
  }
  throw new ServerUnreachableError(
    `${url} did not answer within ${timeoutMs / 1000} s (last try: ${reason}): is the server starting, and on this port?`,
  );
}

export class ServerUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerUnreachableError';
  }
}
