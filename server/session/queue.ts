/**
 * One keyed serial queue: work for the same key runs one after the other, in the order it was queued; keys
 * do not wait for each other. Dialects use it for a socket's events (clients that emit without waiting) and
 * for one user's joins and leaves (so "first tab in" and "last tab out" are decided once).
 */
export type KeyedQueue = <T>(key: string, work: () => T | Promise<T>) => Promise<T>;

export function keyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, work: () => T | Promise<T>): Promise<T> => {
    // A failure of the previous work does not stop this one: each caller hears its own result.
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    // Forget the key once its last work settled, so idle keys hold no memory.
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}
