/**
 * WebRTC call signalling (seed 003), in memory. The server never touches media: it checks who may say
 * what, relays offers, answers and ICE candidates between the two parties, and keeps each call's state:
 *
 *     invite → ringing ─accept→ accepted ─end→ ended
 *                      ├reject→ rejected
 *                      ├end───→ ended     (the caller hangs up first)
 *                      └timeout→ missed   (nobody answered within ringTimeoutMs)
 *
 * Only the two parties act on a call; a user is in at most one ringing or accepted call at a time.
 */
import { ParleyError } from '../../runtime/errors.js';
import { newId } from '../store/ids.js';
import type { Store } from '../store/store.js';
import { requireUser } from './access.js';
import { type Clock, isoNow, systemClock, type TimerHandle } from './clock.js';
import { Listeners } from './listeners.js';
import { type Logger, silentLogger } from './logger.js';
import { checkOneOf, checkText, invalid } from './validation.js';

export const CALL_TYPES = ['audio', 'video'] as const;
export type CallType = (typeof CALL_TYPES)[number];
export type CallState = 'ringing' | 'accepted' | 'ended' | 'rejected' | 'missed';

export interface Call {
  id: string;
  callerId: string;
  calleeId: string;
  callType: CallType;
  state: CallState;
  createdAt: string;
  answeredAt: string | null;
  /** When it left `ringing`/`accepted` for good. */
  endedAt: string | null;
  /** Who ended, rejected it; `null` for a timeout. */
  endedBy: string | null;
}

export interface CallsOptions {
  clock?: Clock;
  /** How long a call rings before it is missed. Default 30 000 ms. */
  ringTimeoutMs?: number;
  /** Finished calls remembered (for clear errors on late requests). Default 1000. */
  keepFinished?: number;
  logger?: Logger;
}

export interface InviteInput {
  targetUserId: string;
  callType: CallType;
  /**
   * The call's id, when the caller names it (a dialect whose clients pick their own, so they can hang up
   * before hearing back); it must not be the id of a call still known. Default: a new id.
   */
  id?: string;
}

export interface IceRelay {
  call: Call;
  /** The other party: the one to send the candidate to. */
  to: string;
}

const LIVE: readonly CallState[] = ['ringing', 'accepted'];

export class Calls {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly ringTimeoutMs: number;
  private readonly keepFinished: number;
  private readonly timeouts: Listeners<Call>;
  private readonly calls = new Map<string, Call>();
  private readonly ringTimers = new Map<string, TimerHandle>();

  constructor(store: Store, options: CallsOptions = {}) {
    this.store = store;
    this.clock = options.clock ?? systemClock;
    this.ringTimeoutMs = options.ringTimeoutMs ?? 30_000;
    this.keepFinished = options.keepFinished ?? 1000;
    this.timeouts = new Listeners('call timeout', options.logger ?? silentLogger);
  }

  /** Calls `listener` with each call that was missed (rang out) until the returned function is called. */
  onTimeout(listener: (call: Call) => void): () => void {
    return this.timeouts.add(listener);
  }

  /** Starts ringing the target. The caller relays its SDP offer with the resulting call's id. */
  async invite(callerId: string, input: InviteInput): Promise<Call> {
    const callType = checkOneOf('callType', input.callType, CALL_TYPES);
    if (input.targetUserId === callerId) throw invalid('targetUserId', 'you cannot call yourself');
    await requireUser(this.store, callerId);
    await requireUser(this.store, input.targetUserId);
    if (this.liveCallOf(callerId)) {
      throw new ParleyError('CONFLICT', 'cannot start a call: you are already in one; end it first');
    }
    if (this.liveCallOf(input.targetUserId)) {
      throw new ParleyError('CONFLICT', `cannot call ${input.targetUserId}: they are busy in another call`);
    }
    const id = input.id === undefined ? newId('call') : checkText('id', input.id, { max: 128 });
    if (this.calls.has(id)) {
      throw new ParleyError('CONFLICT', `call id ${id} is already used; choose a new one for every call`);
    }
    const call: Call = {
      id,
      callerId,
      calleeId: input.targetUserId,
      callType,
      state: 'ringing',
      createdAt: isoNow(this.clock),
      answeredAt: null,
      endedAt: null,
      endedBy: null,
    };
    this.calls.set(call.id, call);
    this.ringTimers.set(
      call.id,
      this.clock.setTimeout(() => {
        this.ringTimers.delete(call.id);
        if (call.state !== 'ringing') return;
        this.finish(call, 'missed', null);
        this.timeouts.emit({ ...call });
      }, this.ringTimeoutMs),
    );
    return { ...call };
  }

  /** The callee picks up a ringing call. */
  accept(userId: string, callId: string): Call {
    const call = this.requireCall(userId, callId, 'accept');
    if (userId !== call.calleeId)
      throw new ParleyError('FORBIDDEN', `cannot accept call ${callId}: you placed it`);
    this.requireState(call, 'ringing', 'accept');
    this.stopRinging(call);
    call.state = 'accepted';
    call.answeredAt = isoNow(this.clock);
    return { ...call };
  }

  /** The callee declines a ringing call. */
  reject(userId: string, callId: string): Call {
    const call = this.requireCall(userId, callId, 'reject');
    if (userId !== call.calleeId) {
      throw new ParleyError('FORBIDDEN', `cannot reject call ${callId}: you placed it; end it instead`);
    }
    this.requireState(call, 'ringing', 'reject');
    return this.finish(call, 'rejected', userId);
  }

  /** Either party hangs up, ringing or accepted. */
  end(userId: string, callId: string): Call {
    const call = this.requireCall(userId, callId, 'end');
    if (!LIVE.includes(call.state)) {
      throw new ParleyError('CONFLICT', `cannot end call ${callId}: it is already ${call.state}`);
    }
    return this.finish(call, 'ended', userId);
  }

  /**
   * Checks that an ICE candidate may pass: the sender is a party of a ringing or accepted call, named by
   * `callId` or found by the other party (seed 003 sends only `targetUserId`). Resolves to whom to relay to.
   */
  relayIce(userId: string, target: { callId?: string; targetUserId?: string }): IceRelay {
    let call: Call | undefined;
    if (target.callId !== undefined) {
      call = this.requireCall(userId, target.callId, 'send ICE candidates in');
    } else if (target.targetUserId !== undefined) {
      call = this.liveCallOf(userId);
      if (!call || (call.callerId !== target.targetUserId && call.calleeId !== target.targetUserId)) {
        throw new ParleyError(
          'CONFLICT',
          `cannot relay an ICE candidate to ${target.targetUserId}: you have no ringing or active call with them`,
        );
      }
    } else {
      throw invalid('callId', 'name the call (callId) or the other party (targetUserId)');
    }
    if (!LIVE.includes(call.state)) {
      throw new ParleyError(
        'CONFLICT',
        `cannot relay an ICE candidate in call ${call.id}: it is ${call.state}`,
      );
    }
    return { call: { ...call }, to: call.callerId === userId ? call.calleeId : call.callerId };
  }

  /** Ends the user's live call, if any (call it when their last connection closes). */
  hangUpAll(userId: string): Call[] {
    const call = this.liveCallOf(userId);
    return call ? [this.finish(call, 'ended', userId)] : [];
  }

  /** Forgets every call and stops every ring timer, telling no listener (the conformance reset hook). */
  reset(): void {
    for (const timer of this.ringTimers.values()) this.clock.clearTimeout(timer);
    this.ringTimers.clear();
    this.calls.clear();
  }

  /** A copy of the call, if it is known (live, or among the recently finished). */
  get(callId: string): Call | undefined {
    const call = this.calls.get(callId);
    return call && { ...call };
  }

  private liveCallOf(userId: string): Call | undefined {
    for (const call of this.calls.values()) {
      if (LIVE.includes(call.state) && (call.callerId === userId || call.calleeId === userId)) return call;
    }
    return undefined;
  }

  private requireCall(userId: string, callId: string, action: string): Call {
    const call = this.calls.get(callId);
    if (!call) throw new ParleyError('NOT_FOUND', `cannot ${action} call ${callId}: there is no such call`);
    if (call.callerId !== userId && call.calleeId !== userId) {
      throw new ParleyError('FORBIDDEN', `cannot ${action} call ${callId}: you are not one of its parties`);
    }
    return call;
  }

  private requireState(call: Call, state: CallState, action: string): void {
    if (call.state !== state) {
      throw new ParleyError(
        'CONFLICT',
        `cannot ${action} call ${call.id}: it is ${call.state}, not ${state}`,
      );
    }
  }

  private stopRinging(call: Call): void {
    const timer = this.ringTimers.get(call.id);
    if (timer) this.clock.clearTimeout(timer);
    this.ringTimers.delete(call.id);
  }

  private finish(call: Call, state: CallState, by: string | null): Call {
    this.stopRinging(call);
    call.state = state;
    call.endedAt = isoNow(this.clock);
    call.endedBy = by;
    this.forgetOldCalls();
    return { ...call };
  }

  /** Keeps at most `keepFinished` finished calls, dropping the oldest (Map order is insertion order). */
  private forgetOldCalls(): void {
    let finished = 0;
    for (const call of this.calls.values()) if (!LIVE.includes(call.state)) finished++;
    for (const [id, call] of this.calls) {
      if (finished <= this.keepFinished) break;
      if (!LIVE.includes(call.state)) {
        this.calls.delete(id);
        finished--;
      }
    }
  }
}
