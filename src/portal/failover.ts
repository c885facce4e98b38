/** The portal's failover: request checks, then the same GitOps commit as `drctl failover`. */
import { join } from 'node:path';
import { isAwsRegion } from '../api/regions.js';
import { FailoverRefused, commitFailover } from '../gitops/failover.js';
import { HttpError } from './errors.js';
import { findClaim } from './store.js';

/** What a failover answered: the regions and the commit Argo CD will sync. */
export interface FailoverAnswer {
  readonly from: string;
  readonly to: string;
  readonly commit: string;
  readonly path: string;
  readonly message: string;
  /** The branch the commit was pushed to, when failovers go through pull requests (`pull-request` mode). */
  readonly branch?: string;
}

/** Fails the claim `namespace/name` over as asked in `body` ({to, reason, unplanned?, yes?}); `actor` (`Name <email>`) authors the commit. */
export async function failover(
  root: string,
  namespace: string,
  name: string,
  body: unknown,
  actor?: string,
): Promise<FailoverAnswer> {
  const req = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const to = req.to;
  if (typeof to !== 'string' || !isAwsRegion(to))
    throw new HttpError(400, `to must be an AWS region of the claim (got ${JSON.stringify(to ?? null)})`, 'to');
  // One line (audit 18 L11): a newline in the reason could forge Who:/From: lines of the commit message.
  const reason = typeof req.reason === 'string' ? req.reason.replace(/\s+/g, ' ').trim() : '';
  if (reason === '') throw new HttpError(400, 'say why in reason; it goes into the commit for the audit trail', 'reason');
  if (req.unplanned !== undefined && typeof req.unplanned !== 'boolean')
    throw new HttpError(400, 'unplanned must be true or false', 'unplanned');
  const unplanned = req.unplanned === true;
  if (unplanned && req.yes !== true)
    throw new HttpError(400, 'an unplanned failover can lose the data not yet replicated; confirm with "yes": true', 'yes');
  const stored = await findClaim(root, namespace, name);
  if (!stored) throw new HttpError(404, `no claim ${namespace}/${name} in ${root} (HEAD, under claims/)`);
  try {
    const r = await commitFailover(stored.claim, {
      file: join(root, stored.path),
      to,
      reason,
      unplanned,
      via: 'drplane portal',
      ...(actor ? { actor } : {}),
    });
    return { from: r.from, to: r.to, commit: r.commit, path: stored.path, message: r.message };
  } catch (err) {
    if (err instanceof FailoverRefused) throw new HttpError(409, err.message);
    throw err;
  }
}
