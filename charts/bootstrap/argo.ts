/** Argo CD vocabulary the bootstrap charts share: annotations, sync options, the retry policy. */

/** Annotation that orders resources within one sync (lower waves first). */
export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

import { NO_DELETE, SYNC_OPTIONS } from '../../src/gitops/argocd.js';

/** Shared with what drplane writes into git (src/gitops/argocd.ts): the sync-options annotation and Delete=false. */
export { NO_DELETE, SYNC_OPTIONS };

/** Sync option: apply even though the kind's CRD is not served yet (it appears earlier in the same bootstrap). */
export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

/** Sync option: never delete this object because it left git; a person deletes it on purpose. */
export const NO_PRUNE = 'Prune=false';

/**
 * Sync option: a sync applies the live value of every ignoreDifferences field instead of git's, so a field a person
 * changed on purpose (the sync policy of a child Application during an incident) survives the next sync.
 */
export const RESPECT_IGNORE_DIFFERENCES = 'RespectIgnoreDifferences=true';

/** Sync option: create the Application's destination namespace. */
export const CREATE_NAMESPACE = 'CreateNamespace=true';

/**
 * Retries of a failed sync: 15 s, doubling, at most 5 min apart; ten tries cover a cold cluster pulling 17 providers.
 * `refresh`: each retry syncs the branch's latest revision, not the failed one, so a commit that fixes the failure is
 * applied at the next retry; without it the retries (about 33 minutes) keep applying the failed revision and hold
 * the fix back (Argo CD starts no automated sync while an operation, retries included, is in progress).
 */
export const RETRY = { limit: 10, backoff: { duration: '15s', factor: 2, maxDuration: '5m' }, refresh: true } as const;

/** Options an object carries in its sync-options annotation. */
export interface ObjectSyncOptions {
  /** Its kind's CRD is installed by an earlier step of the bootstrap. */
  readonly crdFromEarlierStep?: boolean;
  /** Deleting it would take state or running infrastructure with it: neither pruned nor deleted with its Application. */
  readonly stateful?: boolean;
}

/** The `argocd.argoproj.io/sync-options` annotation for an object, or none when it needs no option. */
export function syncOptionsAnnotation(options: ObjectSyncOptions): Record<string, string> {
  const values = [...(options.crdFromEarlierStep ? [SKIP_DRY_RUN] : []), ...(options.stateful ? [NO_PRUNE, NO_DELETE] : [])];
  return values.length === 0 ? {} : { [SYNC_OPTIONS]: values.join(',') };
}

/** The options of a sync-options annotation value (`A=b,C=d`), trimmed. */
export function parseSyncOptions(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((option) => option.trim())
    .filter((option) => option !== '');
}
