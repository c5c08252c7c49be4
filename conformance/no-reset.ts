/**
 * `--no-reset`: conformance against a server without the reset hook (one that is not ours, or a staging
 * deployment). Without the hook nothing can be loaded and no token signed, so only the cases that need neither
 * run: invalid payloads, the unknown event, connect and disconnect, the authentication refusals that need no
 * valid token (or one given with `--token`), and the examples whose fixtures load no rooms, messages or
 * uploads, whose acks are then checked against the schema only (the server's state is not the documented
 * one). Every other case is reported untestable with the reason; coverage counts the server events the cases
 * that ran reached, and reports the others untestable.
 */
import type { Case } from './cases.js';
import type { Role } from './fixtures.js';

type Users = Readonly<Record<Role, string>>;

export const NO_RESET = '--no-reset';

/** The cases, those that cannot run without the hook marked `skip` with the reason. */
export function withoutReset(cases: Case[], users: Users, tokens: Readonly<Record<string, string>>): Case[] {
  return cases.map((c) => {
    if (c.skip !== undefined) return c;
    const skip = reasonToSkip(c, users, tokens);
    if (skip !== undefined) return { ...c, skip };
    return c.kind === 'example' ? { ...c, fixture: { ...c.fixture, compare: false } } : c;
  });
}

function reasonToSkip(c: Case, users: Users, tokens: Readonly<Record<string, string>>): string | undefined {
  if (c.kind === 'example') {
    const { rooms, messages, uploads } = c.fixture.data;
    if ([rooms, messages, uploads].some((records) => (records?.length ?? 0) > 0))
      return `its fixtures load data, which needs the reset hook (${NO_RESET})`;
  }
  if (c.kind === 'handshake' || c.kind === 'event-auth') {
    if (c.variant === 'expired token') return `an expired token comes only from the reset hook (${NO_RESET})`;
  }
  const auth = c.namespace.auth;
  if (auth.handshake.length === 0 && auth.event === undefined) return undefined;
  const missing = usersOf(c, users).filter((user) => tokens[user] === undefined);
  if (missing.length === 0) return undefined;
  return `needs a token for ${missing.join(', ')}, which only the reset hook signs (${NO_RESET}: pass --token ${missing[0]}=<token>)`;
}

/** Who a case connects with a token (as the runner does). */
function usersOf(c: Case, users: Users): string[] {
  switch (c.kind) {
    case 'example':
      return [c.fixture.actor, c.fixture.observer, c.fixture.outsider];
    case 'negative':
      return [c.fixture.actor];
    case 'handshake':
      return c.variant === 'no token' ? [] : [users.actor];
    case 'event-auth':
      return c.variant === 'another event first' ? [] : [users.actor];
    case 'lifecycle':
      return [users.actor, users.observer, users.outsider];
    default:
      // The unknown event (and any kind that sends as the actor alone).
      return [users.actor];
  }
}
