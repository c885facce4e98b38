/**
 * Offline plan of a claim: the same composers the function runs, in the steady state (every
 * dependency exists and is ready), with nested composites expanded down to managed resources.
 */
import { API_VERSION, type DisasterRecoveryClaim } from '../api/claim.js';
import type { ComposedName } from './composed-names.js';
import { composeComposite } from './index.js';
import { steadyView } from './observed.js';
import type { ComposeOptions, Manifest, ObservedView } from './types.js';

/** Annotation naming a composed resource's key within its composite (as Crossplane sets it). */
export const RESOURCE_NAME = 'crossplane.io/composition-resource-name';
/** Annotation naming the composite a planned resource belongs to. */
export const PARENT = 'drplane.io/composite';

/** One planned resource with where it comes from. */
export interface PlannedResource {
  /** Key within its composite. */
  readonly key: string;
  /** Kind of the composite that composes it. */
  readonly parent: string;
  /** Region, if regional. */
  readonly region?: string;
  /** The manifest, annotated with its key and parent. */
  readonly manifest: Manifest;
  /** The AWS names compose made for it, with their rules and names before shortening (none in a saved plan). */
  readonly names?: readonly ComposedName[];
  /** The claim field it comes from (spec.database, spec.tables[0]), as the estate says of its nested composite. */
  readonly section?: string;
}

import { placeholder } from './placeholder.js';

export { placeholder };

/** The composite resource Crossplane creates for a claim. */
export function compositeOf(claim: DisasterRecoveryClaim): Manifest {
  return {
    apiVersion: API_VERSION,
    kind: 'XDisasterRecovery',
    metadata: {
      name: claim.metadata.name,
      labels: { 'crossplane.io/claim-name': claim.metadata.name, 'crossplane.io/claim-namespace': claim.metadata.namespace },
    },
    spec: claim.spec,
  };
}

function annotate(manifest: Manifest, key: string, parent: string): Manifest {
  const meta = (manifest.metadata ?? {}) as { annotations?: Record<string, string> };
  return { ...manifest, metadata: { ...meta, annotations: { ...meta.annotations, [RESOURCE_NAME]: key, [PARENT]: parent } } };
}

function expand(
  composite: Manifest,
  parentPath: string,
  section: string | undefined,
  view: ObservedView,
  options: ComposeOptions,
  out: PlannedResource[],
): void {
  const { resources, names, sections } = composeComposite(composite, view, options);
  for (const d of resources) {
    // A nested composite's claim field is the one the estate says; what it composes comes from the same field.
    const from = sections?.[d.key] ?? section;
    out.push({
      key: d.key,
      parent: parentPath,
      region: d.region,
      manifest: annotate(d.manifest, d.key, parentPath),
      ...(names?.[d.key] ? { names: names[d.key] } : {}),
      ...(from === undefined ? {} : { section: from }),
    });
    if (d.manifest.apiVersion === API_VERSION) expand(d.manifest, `${parentPath}/${d.key}`, from, view, options, out);
  }
}

/**
 * Every resource a claim becomes, nested composites first then their resources, in compose order.
 * `options.artifacts` are the Lambda zips (drctl plan loads them from dist/lambda when present);
 * without them each code object shows a placeholder naming its zip and SHA-256.
 */
export function planClaim(
  claim: DisasterRecoveryClaim,
  view: ObservedView = steadyView(placeholder),
  options: ComposeOptions = {},
): PlannedResource[] {
  const out: PlannedResource[] = [];
  expand(compositeOf(claim), 'XDisasterRecovery', undefined, view, options, out);
  return out;
}

/**
 * The planned resources of a saved plan (the manifests `drctl plan -o yaml|json` prints, each with
 * its key and composite annotations), so a plan made by an older drplane can be compared with
 * today's. Undefined when `docs` is not such a plan (e.g. it is a claim).
 */
export function savedPlan(docs: readonly unknown[]): PlannedResource[] | undefined {
  const manifests = docs.flatMap((d) => (Array.isArray(d) ? d : [d])).filter((d) => d !== null && d !== undefined);
  const annotation = (m: Manifest, name: string) =>
    ((m.metadata ?? {}) as { annotations?: Record<string, unknown> }).annotations?.[name];
  const planned = manifests.every(
    (m) =>
      typeof m === 'object' &&
      typeof annotation(m as Manifest, RESOURCE_NAME) === 'string' &&
      typeof annotation(m as Manifest, PARENT) === 'string',
  );
  if (!planned || manifests.length === 0) return undefined;
  return (manifests as Manifest[]).map((manifest) => {
    const region = (manifest.spec as { forProvider?: { region?: unknown } } | undefined)?.forProvider?.region;
    return {
      key: annotation(manifest, RESOURCE_NAME) as string,
      parent: annotation(manifest, PARENT) as string,
      ...(typeof region === 'string' ? { region } : {}),
      manifest,
    };
  });
}
