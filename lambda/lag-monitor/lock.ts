/**
 * One run at a time, without reserved concurrency: a lock in SSM Parameter Store, the store the monitor
 * already keeps its state in.
 *
 * Runs may overlap when an asynchronous invocation is retried or delivered twice while the next scheduled run
 * starts; two runs would both see `ok → breach` and alert twice. A run takes the lock by creating
 * `<prefix>/lock` with `PutParameter(Overwrite: false)`, which SSM refuses (ParameterAlreadyExists) when the
 * parameter exists: a conditional write. The value names the holder and when its Lambda run ends at the latest
 * (the invocation's remaining time); a run finding a live lock does nothing. A lock past its end was left by a run
 * that died: it is overwritten and read back, and only the run that reads its own request id proceeds. A lock that
 * already names this run was written by its own earlier attempt (the SDK retries a call whose answer it lost) and
 * counts as taken. The holder deletes the lock when done (after checking it is still its own).
 */
import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/** The value of the lock parameter. */
export interface LockValue {
  /** The request id of the run holding the lock. */
  readonly holder: string;
  /** ISO-8601 time after which the holder's run cannot be running any more. */
  readonly expiresAt: string;
}

/** Whether this run holds the lock; when not, who does and until when. */
export type LockResult =
  { readonly acquired: true } | { readonly acquired: false; readonly heldBy: string; readonly until: string };

export { lockParameterName } from '../shared/env-contract.js';

function parseLock(value: string | undefined): LockValue | undefined {
  if (value === undefined) return undefined;
  try {
    const v = JSON.parse(value) as Partial<LockValue>;
    return typeof v.holder === 'string' && typeof v.expiresAt === 'string'
      ? { holder: v.holder, expiresAt: v.expiresAt }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Options of one SSM call: an abort signal that bounds it (../shared/limits.ts). */
export type CallOptions = () => { abortSignal?: AbortSignal };

const unbounded: CallOptions = () => ({});

async function readLock(ssm: SSMClient, name: string, call: CallOptions): Promise<LockValue | undefined> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name }), call());
    return parseLock(out.Parameter?.Value);
  } catch (err) {
    if (err instanceof ParameterNotFound) return undefined;
    throw err;
  }
}

/** Takes the lock for `holder` until `expiresAt`, unless a live run holds it. */
export async function acquireLock(
  ssm: SSMClient,
  name: string,
  holder: string,
  now: Date,
  expiresAt: Date,
  call: CallOptions = unbounded,
): Promise<LockResult> {
  const value = JSON.stringify({ holder, expiresAt: expiresAt.toISOString() } satisfies LockValue);
  try {
    await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: false }), call());
    return { acquired: true };
  } catch (err) {
    if (!(err instanceof ParameterAlreadyExists)) throw err;
  }
  const current = await readLock(ssm, name, call);
  // Our own request took it: the SDK retried a PutParameter whose first attempt SSM applied but whose answer was lost
  // (a request timeout, a reset connection), and the retry was refused because of that first write.
  if (current?.holder === holder) return { acquired: true };
  if (current !== undefined && Date.parse(current.expiresAt) > now.getTime()) {
    return { acquired: false, heldBy: current.holder, until: current.expiresAt };
  }
  // Left by a run that died (or unreadable): take it over, then read back who won if several runs did so at once.
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }), call());
  const after = await readLock(ssm, name, call);
  return after?.holder === holder
    ? { acquired: true }
    : { acquired: false, heldBy: after?.holder ?? 'unknown', until: after?.expiresAt ?? 'unknown' };
}

/** Releases the lock if `holder` still holds it. */
export async function releaseLock(ssm: SSMClient, name: string, holder: string, call: CallOptions = unbounded): Promise<void> {
  const current = await readLock(ssm, name, call);
  if (current?.holder !== holder) return;
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }), call());
  } catch (err) {
    if (!(err instanceof ParameterNotFound)) throw err;
  }
}
