/**
 * Backstage catalog entries of the estates, designed so that no claim change can leave them out of date (audit 18
 * M6): `catalog-info.yaml` holds only a `Location` that registers the template and every file matching
 * `./estates/*.yaml` (it never lists claims, so it never needs regenerating when one is added), and each estate's
 * `Resource` is its own file, `backstage/estates/<namespace>.<name>.yaml`, written in the same commit as the claim by
 * whoever writes the claim: the Backstage template (`estate.yaml.njk`, generated from `estateEntity`) and the portal
 * (`estateEntity` itself). The entity holds only what a claim change cannot alter: the claim's namespace and name,
 * and the owner from the bootstrap's team table.
 */
import { TEMPLATE_NAME } from './template.js';

/** Annotation naming the claim (`<namespace>/<name>`) a Resource stands for. */
export const CLAIM_ANNOTATION = 'drplane.io/claim';
/** Annotation with the claim's file in the claims repository. */
export const CLAIM_PATH_ANNOTATION = 'drplane.io/claim-path';
/** Folder of the estate files, inside backstage/. */
export const ESTATES_DIR = 'estates';
/** The Location's target that picks up every estate file (a glob; Backstage's URL readers search it). */
export const ESTATES_TARGET = `./${ESTATES_DIR}/*.yaml`;

/** The estate file of claim `namespace/name`, from backstage/ ('.' cannot occur in either name, so it is unique). */
export const estateFile = (namespace: string, name: string): string => `${ESTATES_DIR}/${namespace}.${name}.yaml`;

/** A Backstage entity name: letters, digits and single `-`, `_`, `.` between them, at most 63 characters. */
const ENTITY_NAME = /^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$/;

/**
 * The catalog owner of a team namespace's estates: `group:default/<group>` for the first (sorted) SSO group that
 * `teamGroups` maps to the namespace and that is a valid Backstage name (Backstage groups ingested from the same
 * identity provider carry those names), else `group:default/<namespace>`.
 */
export function estateOwner(namespace: string, teamGroups: Readonly<Record<string, readonly string[]>>): string {
  const group = [...(teamGroups[namespace] ?? [])].sort().find((g) => g.length <= 63 && ENTITY_NAME.test(g));
  return `group:default/${group ?? namespace}`;
}

/** The owners of every namespace `teamGroups` maps, sorted by namespace (the template's lookup table). */
export function estateOwners(teamGroups: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(teamGroups)
      .sort()
      .map((ns) => [ns, estateOwner(ns, teamGroups)]),
  );
}

/**
 * The Resource entity of estate `namespace/name` owned by `owner`: in Backstage namespace `<namespace>` under the
 * claim's name (unique per team, at most 40 characters), with the claim in annotations and the Kubernetes plugin's
 * annotations pointing at the claim's namespace and the labels Crossplane puts on what it composes.
 */
export function estateEntity(namespace: string, name: string, owner: string): Record<string, unknown> {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace,
      title: `${name} (${namespace})`,
      description: `Disaster-recovery estate of ${namespace}, the drplane claim claims/${namespace}/${name}.yaml.`,
      annotations: {
        [CLAIM_ANNOTATION]: `${namespace}/${name}`,
        [CLAIM_PATH_ANNOTATION]: `claims/${namespace}/${name}.yaml`,
        'backstage.io/kubernetes-namespace': namespace,
        'backstage.io/kubernetes-label-selector': `crossplane.io/claim-namespace=${namespace},crossplane.io/claim-name=${name}`,
      },
      tags: ['drplane', 'disaster-recovery'],
    },
    spec: { type: 'disaster-recovery-estate', owner, lifecycle: 'production' },
  };
}

/** The catalog file's one entity: the Location of the template and of every estate file. */
export function catalogLocation(): Record<string, unknown> {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Location',
    metadata: {
      name: 'drplane',
      description: `The drplane software template (${TEMPLATE_NAME}) and the estates of the claims repository.`,
    },
    spec: { targets: ['./template.yaml', ESTATES_TARGET] },
  };
}
