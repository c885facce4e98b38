/**
 * One git operation at a time per repository: the portal's writes (refresh, commit, push) and refreshes share one
 * clone, so concurrent ones would reset each other's work tree, collide on index.lock or push each other's commits.
 */
import { resolve } from 'node:path';

/** The tail of each repository's queue. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier `withRepositoryLock` of the same repository has settled; its result or error. */
export function withRepositoryLock<T>(repository: string, work: () => Promise<T>): Promise<T> {
  const key = resolve(repository);
  const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
