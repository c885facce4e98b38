/** Builders shared by the compose tests: claims from partial specs, and resource lookups. */
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { composeComposite, liveView, type Manifest, type ObservedView } from '../../src/compose/index.js';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';

/** A full three-region production estate used across tests. */
export const FULL_SPEC = {
  environment: 'prod',
  profile: 'production',
  regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] },
  objectives: { rpoSeconds: 5, rtoMinutes: 15 },
  tags: { CostCenter: 'Operations' },
  network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16', 'eu-west-1': '10.2.0.0/16' } },
  database: { engine: 'aurora-postgresql', engineVersion: '16.6', databaseName: 'transactions' },
  tables: [{ name: 'transactions', hashKey: { name: 'id', type: 'S' }, ttlAttribute: 'expiresAt' }],
  buckets: [{ name: 'documents' }],
} as const;

/** A claim document from a spec (defaults applied by the schema). */
export function claim(spec: object, name = 'payments', namespace = 'team-payments'): DisasterRecoveryClaim {
  return DisasterRecoveryClaimSchema.parse({ apiVersion: 'drplane.io/v1alpha1', kind: 'DisasterRecovery', metadata: { name, namespace }, spec });
}

/** The steady-state plan of a spec. */
export function plan(spec: object): PlannedResource[] {
  return planClaim(claim(spec));
}

/** Managed resources (not nested composites) of a plan, optionally of one kind. */
export function managed(resources: readonly PlannedResource[], kind?: string): Manifest[] {
  return resources.map((r) => r.manifest).filter((m) => !m.apiVersion.startsWith('drplane.io/') && (kind === undefined || m.kind === kind));
}

/** forProvider of a managed resource. */
export function fp(m: Manifest): Record<string, any> {
  return (m.spec as { forProvider: Record<string, any> }).forProvider;
}

/** The spec of a managed resource. */
export function spec(m: Manifest): Record<string, any> {
  return m.spec as Record<string, any>;
}

/** Labels of a manifest. */
export function labels(m: Manifest): Record<string, string> {
  return ((m.metadata ?? {}) as { labels?: Record<string, string> }).labels ?? {};
}

/** The external-name annotation of a manifest. */
export function externalName(m: Manifest): string | undefined {
  return ((m.metadata ?? {}) as { annotations?: Record<string, string> }).annotations?.['crossplane.io/external-name'];
}

/** The nested composite of a kind for a spec, as the estate composes it. */
export function nestedOf(specInput: object, kind: string): Manifest {
  const n = plan(specInput).find((r) => r.manifest.kind === kind);
  if (!n) throw new Error(`no ${kind} in plan`);
  return n.manifest;
}

/** A live view over observed resources given as key → status pieces. */
export function observedView(observed: Record<string, { ready?: boolean; arn?: string }>): ObservedView {
  const objects: Record<string, Manifest> = {};
  for (const [key, o] of Object.entries(observed)) {
    objects[key] = {
      apiVersion: 'x/v1',
      kind: 'X',
      status: {
        conditions: o.ready ? [{ type: 'Ready', status: 'True' }] : [],
        atProvider: o.arn ? { arn: o.arn } : {},
      },
    };
  }
  return liveView(objects);
}

/** Composes a nested composite with a live view. */
export function composeLive(composite: Manifest, view: ObservedView) {
  return composeComposite(composite, view);
}
