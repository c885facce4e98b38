/** What drplane writes into git for Argo CD: the per-object sync options that keep a claim when its Application goes. */
import { isMap, parseDocument } from 'yaml';

/** Folder of the repository that holds the generated bootstrap (`npm run synth` writes it). */
export const BOOTSTRAP_PATH = 'compositions/bootstrap';

/** Prefix of every team's claims Application and AppProject name (`drplane-claims-<namespace>`). */
export const CLAIMS_PREFIX = 'drplane-claims-';

/** Path of the generated Application that syncs `claims/<namespace>/`: it exists once the team is onboarded. */
export const teamApplicationPath = (namespace: string): string => `${BOOTSTRAP_PATH}/apps/${CLAIMS_PREFIX}${namespace}.yaml`;

/** Annotation with per-resource sync options, comma-separated (Argo CD reads it on every 3.x release). */
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * Sync option: keep this object when its Application is deleted with cascade (the default of `argocd app delete`).
 * Prune=false only stops pruning during a sync; this stops the deletion of the Application from taking it along.
 */
export const NO_DELETE = 'Delete=false';

/**
 * Sync option: never prune this object, whatever its Application's policy says (gitops-engine skips the prune task,
 * "ignored (no prune)", even with `automated.prune: true` or `argocd app sync --prune`; every 3.x reads it).
 */
export const NO_PRUNE = 'Prune=false';

/** True for a production claim: `spec.profile` is `production` or unset (the schema's default). */
function isProduction(doc: ReturnType<typeof parseDocument>): boolean {
  const profile = doc.getIn(['spec', 'profile']);
  return profile === undefined || profile === null || profile === 'production';
}

/**
 * The claim text with the sync options that keep its estate in its sync-options annotation (other options kept, a
 * conflicting `Delete=`/`Prune=` option replaced): `Delete=false` on every claim, so deleting its Argo CD Application
 * with cascade keeps the claim on every Argo CD 3.x (before 3.4 Argo CD ignores the Application's own Delete=false);
 * and `Prune=false` on a production claim, so removing it from git never deletes the estate, even after someone turns
 * pruning on for its Application (`--auto-prune`) or syncs it with `--prune`. A test claim stays prunable. Text
 * already carrying what it needs is returned unchanged.
 */
export function withDeletionGuard(text: string): string {
  const doc = parseDocument(text, { version: '1.1' });
  const metadata = doc.get('metadata', true);
  if (!isMap(metadata)) throw new Error('the claim has no metadata mapping: add metadata.name and metadata.namespace');
  const current = doc.getIn(['metadata', 'annotations', SYNC_OPTIONS]);
  const options = (typeof current === 'string' ? current : '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  const needed = isProduction(doc) ? [NO_DELETE, NO_PRUNE] : [NO_DELETE];
  if (needed.every((o) => options.includes(o))) return text;
  const replaced = new Set(needed.map((o) => o.slice(0, o.indexOf('=') + 1)));
  const kept = options.filter((o) => ![...replaced].some((prefix) => o.startsWith(prefix)));
  const value = [...kept, ...needed].join(',');
  if (!isMap(metadata.get('annotations', true))) metadata.set('annotations', doc.createNode({}));
  doc.setIn(['metadata', 'annotations', SYNC_OPTIONS], value);
  return doc.toString({ lineWidth: 0 });
}
