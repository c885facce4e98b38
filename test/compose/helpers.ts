/** Builders shared by the compose tests: claims from partial specs, and resource lookups. */
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { composeComposite, liveView, type ComposeOptions, type Manifest, type ObservedView } from '../../src/compose/index.js';
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
  service: { runtime: 'nodejs22.x', memoryMb: 512, reservedConcurrency: 5, functionUrl: true, authType: 'AWS_IAM' },
  routing: { zoneName: 'example.com', zoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'api.example.com', ttlSeconds: 30 },
  monitoring: { alertEmails: ['oncall@example.com', 'sre@example.com'], replicationLagThresholdSeconds: 5 },
  backup: { schedule: 'cron(0 * * * ? *)', retentionDays: 35, copyToSecondary: true },
  failover: { mode: 'automatic' },
} as const;

/** The full estate in two regions (failover routing by default), active in the primary. */
export const TWO_REGION_SPEC = {
  ...FULL_SPEC,
  regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
  network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
  failover: { mode: 'manual' },
} as const;

/** Estate id of the claim `payments` in namespace `team-payments`, environment prod: the tail of each of its AWS names. */
export const ID = 'e31ac6c8';

/** An account id as AWS would report it in observed ARNs. */
export const ACCOUNT = '111122223333';

/** A claim document from a spec (defaults applied by the schema). */
export function claim(spec: object, name = 'payments', namespace = 'team-payments'): DisasterRecoveryClaim {
  return DisasterRecoveryClaimSchema.parse({
    apiVersion: 'drplane.io/v1alpha1',
    kind: 'DisasterRecovery',
    metadata: { name, namespace },
    spec,
  });
}

/** The steady-state plan of a spec. */
export function plan(spec: object): PlannedResource[] {
  return planClaim(claim(spec));
}

/** Managed resources (not nested composites) of a plan, optionally of one kind. */
export function managed(resources: readonly PlannedResource[], kind?: string): Manifest[] {
  return resources
    .map((r) => r.manifest)
    .filter((m) => !m.apiVersion.startsWith('drplane.io/') && (kind === undefined || m.kind === kind));
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

/** What a test says about one observed resource. */
export interface Observed {
  ready?: boolean;
  arn?: string;
  /** More status.atProvider fields (id, functionUrl, apiEndpoint, executionArn, …). */
  atProvider?: Record<string, string>;
  /** The observed spec (what was composed before), for sticky values. */
  spec?: Record<string, unknown>;
  /** The observed status of a nested composite. */
  status?: Record<string, unknown>;
}

/** A live view over observed resources given as key → status pieces. */
export function observedView(observed: Record<string, Observed>): ObservedView {
  const objects: Record<string, Manifest> = {};
  for (const [key, o] of Object.entries(observed)) {
    objects[key] = {
      apiVersion: 'x/v1',
      kind: 'X',
      ...(o.spec ? { spec: o.spec } : {}),
      status: {
        ...o.status,
        conditions: o.ready ? [{ type: 'Ready', status: 'True' }] : [],
        atProvider: { ...(o.arn ? { arn: o.arn } : {}), ...o.atProvider },
      },
    };
  }
  return liveView(objects);
}

/** Keys of the composed resources of a result. */
export function keysOf(result: { resources: readonly { key: string }[] }): string[] {
  return result.resources.map((r) => r.key);
}

/** The manifest composed under a key (throws when absent). */
export function byKey(result: { resources: readonly { key: string; manifest: Manifest }[] }, key: string): Manifest {
  const found = result.resources.find((r) => r.key === key);
  if (!found) throw new Error(`no resource ${key} in ${keysOf(result).join(', ')}`);
  return found.manifest;
}

/** A parsed IAM policy document of a manifest field. */
export function policyOf(m: Manifest, field = 'policy'): { Statement: Array<Record<string, any>> } {
  return JSON.parse(fp(m)[field]);
}

/** Composes a nested composite with a live view. */
export function composeLive(composite: Manifest, view: ObservedView, options: ComposeOptions = {}) {
  return composeComposite(composite, view, options);
}

/** A composite as the API server would hold it: with a uid. */
export function withUid(composite: Manifest, uid = '6f1c1d0e-4a53-4c0e-9a57-0d7c3b5e2a10'): Manifest {
  return { ...composite, metadata: { ...(composite.metadata as object), uid } };
}
