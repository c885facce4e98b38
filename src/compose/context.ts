/** The context every composer works from: the estate's identity, names, labels, tags and lifecycle. */
import type { EstateContext } from '../api/primitives.js';
import { Namer } from './naming.js';
import type { Manifest } from './types.js';

/** Label keys drplane puts on every composed resource; selectors match on them. */
export const LABEL = {
  estate: 'drplane.io/estate',
  region: 'drplane.io/region',
  component: 'drplane.io/component',
  claimName: 'drplane.io/claim-name',
  claimNamespace: 'drplane.io/claim-namespace',
  /** Ordinal of one of several resources of the same component and region (Aurora instances), so a selector can name it alone. */
  ordinal: 'drplane.io/ordinal',
} as const;

/** Annotation Crossplane reads to name the external (AWS) resource. */
export const EXTERNAL_NAME = 'crossplane.io/external-name';

/** A provider-upjet-aws managed resource (cluster-scoped `*.aws.upbound.io`): it takes a `spec.providerConfigRef`. */
export const isAwsManagedResource = (manifest: Manifest): boolean => /^[a-z0-9]+\.aws\.upbound\.io\//.test(manifest.apiVersion);

/** Tag key that AWS Backup selections match on. */
export const ESTATE_TAG = 'drplane:estate';

/** Everything a composer needs to know about the estate it builds. */
export class ComposeContext {
  readonly namer: Namer;
  readonly primary: string;
  readonly secondaries: readonly string[];
  readonly active: string;

  constructor(readonly estate: EstateContext) {
    this.namer = new Namer({
      name: estate.owner.name,
      namespace: estate.owner.namespace,
      environment: estate.environment,
      providerConfig: estate.providerConfigRef?.name,
    });
    this.primary = estate.regions.primary;
    this.secondaries = estate.regions.secondaries;
    this.active = estate.activeRegion ?? estate.regions.primary;
  }

  /** Every region, primary first. */
  get regions(): string[] {
    return [this.primary, ...this.secondaries];
  }

  /** True for the production profile. */
  get production(): boolean {
    return this.estate.profile === 'production';
  }

  /** Tags for AWS resources: drplane's own, then the claim's (ours win on conflict). */
  tags(extra: Record<string, string> = {}): Record<string, string> {
    return sortKeys({
      ...this.estate.tags,
      ...extra,
      Environment: this.estate.environment,
      ManagedBy: 'drplane',
      'drplane:claim': this.estate.owner.name,
      'drplane:namespace': this.estate.owner.namespace || '-',
      [ESTATE_TAG]: this.namer.estateId,
    });
  }

  /** Labels that select one component of the estate, optionally in one region. */
  selector(component: string, region?: string): Record<string, string> {
    return sortKeys({
      [LABEL.estate]: this.namer.estateId,
      [LABEL.component]: component,
      ...(region ? { [LABEL.region]: region } : {}),
    });
  }

  /** Metadata of a composed resource: labels, and the external name when AWS lets us choose it. */
  metadata(
    component: string,
    region: string | undefined,
    externalName?: string,
    extraLabels: Record<string, string> = {},
  ): { labels: Record<string, string>; annotations?: Record<string, string> } {
    const labels = sortKeys({
      ...extraLabels,
      ...this.selector(component, region),
      [LABEL.claimName]: this.estate.owner.name,
      ...(this.estate.owner.namespace ? { [LABEL.claimNamespace]: this.estate.owner.namespace } : {}),
    });
    return externalName ? { labels, annotations: { [EXTERNAL_NAME]: externalName } } : { labels };
  }

  /**
   * Applies the profile's lifecycle to a stateful resource: production orphans it (the AWS resource
   * survives deletion of the claim), test deletes it.
   */
  stateful<T extends Manifest>(manifest: T): T {
    const spec = manifest.spec as Record<string, unknown>;
    return { ...manifest, spec: { ...spec, deletionPolicy: this.production ? 'Orphan' : 'Delete' } };
  }
}

/**
 * Binds every AWS managed resource among `resources` to the estate's ProviderConfig (`spec.providerConfigRef`, the
 * account it is created in). A claim that names none leaves them as they are: the provider then uses `default`.
 * Nested composites carry the name in their spec (estate fields) and bind their own resources.
 */
export function bindProviderConfig<T extends { readonly manifest: Manifest }>(ctx: ComposeContext, resources: readonly T[]): T[] {
  const ref = ctx.estate.providerConfigRef;
  if (!ref) return [...resources];
  return resources.map((d) =>
    isAwsManagedResource(d.manifest)
      ? { ...d, manifest: { ...d.manifest, spec: { ...(d.manifest.spec as object), providerConfigRef: { name: ref.name } } } }
      : d,
  );
}

/** A copy of an object with keys in sorted order, so output is byte-identical run to run. */
export function sortKeys<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]]),
  ) as T;
}
