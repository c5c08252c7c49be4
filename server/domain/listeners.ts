/**
 * A list of change listeners. The domain's in-memory state (typing, calls) changes on timers, outside any
 * request, so adapters subscribe to hear about it and broadcast.
 */
import type { Logger } from './logger.js';

export class Listeners<T> {
  private readonly listeners = new Set<(event: T) => void>();
  private readonly logger: Logger;
  private readonly what: string;

  constructor(what: string, logger: Logger) {
    this.what = what;
    this.logger = logger;
  }

  /** Calls `listener` on every event until the returned function is called. */
  add(listener: (event: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A listener that throws is logged and skipped: it must not stop the others or the timer that fired. */
  emit(event: T): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`a ${this.what} listener threw`, { error });
      }
    }
  }
}
