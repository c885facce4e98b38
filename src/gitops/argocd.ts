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
 * The claim text with `Delete=false` in its sync-options annotation (other options kept, a `Delete=` option replaced),
 * so deleting its Argo CD Application with cascade keeps the claim, and with it the estate, on every Argo CD 3.x:
 * Argo CD before 3.4 ignores the Application's own Delete=false. Text already carrying it is returned unchanged.
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
  if (options.includes(NO_DELETE)) return text;
  const value = [...options.filter((o) => !o.startsWith('Delete=')), NO_DELETE].join(',');
  if (!isMap(metadata.get('annotations', true))) metadata.set('annotations', doc.createNode({}));
  doc.setIn(['metadata', 'annotations', SYNC_OPTIONS], value);
  return doc.toString({ lineWidth: 0 });
}
