/**
 * Whether a schema change breaks old clients depends on who writes the payload.
 *
 * - `input`: the client writes it, the server reads it (a `receive` operation's payload, the client's ack of
 *   a `send` operation). The new server must accept everything old clients send: a schema that accepts fewer
 *   values (a new required field, a narrowed type, a removed enum value, a tighter bound or pattern, closed
 *   `additionalProperties`) breaks them.
 * - `output`: the server writes it, the client reads it (a `send` operation's payload, the server's ack of a
 *   `receive` operation). Old clients must understand everything the new server sends: a schema that accepts
 *   more values (a removed field, a field made optional or nullable, a widened type, a new enum value) breaks
 *   them.
 *
 * What breaks no one is `minor` when it adds something (an event, a field, an enum value, an ack) and
 * `patch` otherwise (docs, examples, a compatible tightening or loosening).
 */
import type { SchemaChange } from './schema.js';

export type Severity = 'breaking' | 'minor' | 'patch';
export type Context = 'input' | 'output';

export interface Classified {
  severity: Severity;
  /** Why, for people: who is broken and how, or why no one is. */
  reason: string;
}

export function classify(change: SchemaChange, context: Context): Classified {
  switch (change.rule) {
    case 'docs':
    case 'default-changed':
      return { severity: 'patch', reason: 'documentation only' };
    case 'field-added':
      if (change.required && context === 'input') {
        return {
          severity: 'breaking',
          reason: 'old clients do not send it, so the server rejects their payloads',
        };
      }
      if (context === 'output' && change.closedBefore) {
        return {
          severity: 'breaking',
          reason: 'the old schema admitted no other fields, so old clients that validate reject the payload',
        };
      }
      return {
        severity: 'minor',
        reason: context === 'input' ? 'optional: old clients need not send it' : 'old clients can ignore it',
      };
    case 'field-removed':
      if (context === 'output') {
        return {
          severity: 'breaking',
          reason: change.required
            ? 'old clients read it and no longer get it'
            : 'old clients that read it no longer get it',
        };
      }
      if (change.closedAfter) {
        return { severity: 'breaking', reason: 'old clients still send it and no other fields are admitted' };
      }
      return { severity: 'patch', reason: 'old clients may still send it; the server ignores it' };
    case 'item-added':
      if (context === 'input')
        return { severity: 'breaking', reason: 'old clients do not send this argument' };
      if (change.closedBefore) {
        return { severity: 'breaking', reason: 'old clients admit no further arguments' };
      }
      return { severity: 'minor', reason: 'old clients ignore a further argument' };
    case 'item-removed':
      return {
        severity: 'breaking',
        reason:
          context === 'input' ? 'old clients still send it' : 'old clients read it and no longer get it',
      };
  }
  if (change.effect === 'none') return { severity: 'patch', reason: 'documentation only' };
  if (change.effect === 'both') {
    return {
      severity: 'breaking',
      reason:
        context === 'input'
          ? 'values old clients send may no longer be accepted'
          : 'values the server now sends may not be understood by old clients',
    };
  }
  const breaks = context === 'input' ? change.effect === 'narrows' : change.effect === 'widens';
  if (breaks) {
    return {
      severity: 'breaking',
      reason:
        context === 'input'
          ? 'values old clients send may now be rejected'
          : 'old clients may receive values they do not expect',
    };
  }
  return {
    severity: change.addition ? 'minor' : 'patch',
    reason:
      context === 'input'
        ? 'the server accepts everything old clients send'
        : 'everything the server sends is still what old clients expect',
  };
}

const ORDER: Record<Severity, number> = { breaking: 0, minor: 1, patch: 2 };

export function bySeverity(a: Severity, b: Severity): number {
  return ORDER[a] - ORDER[b];
}

export type Bump = 'major' | 'minor' | 'patch' | 'none';

/** The semver bump a set of changes calls for. */
export function bumpOf(severities: Severity[]): Bump {
  if (severities.includes('breaking')) return 'major';
  if (severities.includes('minor')) return 'minor';
  if (severities.includes('patch')) return 'patch';
  return 'none';
}

/** `0.1.0` + `major` → `1.0.0`; undefined when the version is not `x.y.z`. */
export function nextVersion(version: string, bump: Bump): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return undefined;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  switch (bump) {
    case 'major':
      return `${major + 1}.0.0`;
    case 'minor':
      return `${major}.${minor + 1}.0`;
    case 'patch':
      return `${major}.${minor}.${patch + 1}`;
    case 'none':
      return version;
  }
}
