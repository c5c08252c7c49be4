/**
 * Conformance against servers without the reset hook: what the harness says about the missing hook, and
 * `reset: false` (`--no-reset`), which runs only the cases that need no hook and reports the others untestable.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResetUnavailableError, resetServer } from '../../conformance/reset.js';
import { loadSeedData } from '../../server/store/seed.js';
import { startTestServer, type TestServer } from '../integration/helpers.js';
import { conformance, failureMessages, specAndFixtures } from './helpers.js';

describe('a server without the reset hook', () => {
  let bare: HttpServer;
  let io: Server;
  let plain: TestServer;
  beforeAll(async () => {
    // A Socket.IO server that is not ours: it leaves every other request unanswered.
    bare = createServer();
    io = new Server(bare);
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    // The reference server with the hook off, its users already there (as on a staging deployment).
    plain = await startTestServer({ domain: {}, demo: false });
    const { fixtures } = await specAndFixtures();
    await loadSeedData(plain.server.store, { users: fixtures.namespaces['/messenger']?.data?.users });
  });
  afterAll(async () => {
    io?.close();
    bare?.closeAllConnections();
    await plain?.close();
  });

  it('is named as such, with what the hook is and the option to run without it, when the server is up', async () => {
    const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
    const error = await resetServer(url, 'secret', {}, 500).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResetUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${url} answers Socket.IO, but POST ${url}/__parley/reset did not answer \\(.+\\): the server has no reset hook\\. ` +
          'The reset hook is a test-only route, POST /__parley/reset, .* "Conformance" › "The reset hook" .*--no-reset',
      ),
    );
  }, 15_000);

  it('--no-reset runs the invalid payloads and auth refusals, and reports the cases needing the hook untestable', async () => {
    const users = ['user_123', 'user_456', 'user_789'];
    const tokens = Object.fromEntries(
      await Promise.all(users.map(async (u) => [u, await plain.server.auth.issueToken!(u)] as const)),
    );
    const report = await conformance(plain.server, { namespaces: ['/messenger'], reset: false, tokens });
    expect(failureMessages(report)).toEqual([]);
    const byKind = (kind: string, status: string) =>
      report.results.filter((r) => r.kind === kind && r.status === status);
    expect(byKind('negative', 'passed').length).toBeGreaterThan(10);
    expect(byKind('negative', 'untestable')).toEqual([]);
    expect(byKind('lifecycle', 'passed')).toHaveLength(1);
    expect(byKind('handshake', 'passed').map((r) => r.title)).toEqual([
      'handshake › rejects no token',
      'handshake › rejects a token with a bad signature',
    ]);
    expect(byKind('handshake', 'untestable').map((r) => r.reason)).toEqual([
      'an expired token comes only from the reset hook (--no-reset)',
    ]);
    // Every example of /messenger loads rooms and messages: none runs.
    expect(byKind('example', 'passed')).toEqual([]);
    expect(new Set(byKind('example', 'untestable').map((r) => r.reason))).toEqual(
      new Set(['its fixtures load data, which needs the reset hook (--no-reset)']),
    );
    // Coverage: what the cases that ran reached (presence, on connecting; the error event), the rest untestable.
    const coverage = (event: string) =>
      report.results.find((r) => r.id === `/messenger › coverage › ${event}`);
    expect(coverage('user_online')?.status).toBe('passed');
    expect(coverage('receive_message')).toMatchObject({
      status: 'untestable',
      reason: 'no case that runs without the reset hook reached it (--no-reset)',
    });
    expect(report.ok).toBe(true);
  }, 60_000);

  it('--no-reset without a token for a user the case connects: untestable, naming the option', async () => {
    const report = await conformance(plain.server, {
      namespaces: ['/messenger'],
      reset: false,
      grep: 'connect and disconnect',
    });
    expect(report.results.map((r) => [r.status, r.reason])).toEqual([
      [
        'untestable',
        'needs a token for user_123, user_456, user_789, which only the reset hook signs (--no-reset: pass --token user_123=<token>)',
      ],
    ]);
  });
});
