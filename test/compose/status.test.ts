/**
 * The API server prunes status fields its schema does not declare. Every status a composer writes,
 * with everything observed, must survive its kind's status schema unchanged (the golden render
 * checks the first reconcile; this checks the steady state, where the observed values appear).
 */
import { describe, expect, it } from 'vitest';
import { COMPOSITE_KINDS } from '../../src/api/primitives.js';
import { compositeOf } from '../../src/compose/plan.js';
import { ACCOUNT, FULL_SPEC, claim, composeLive, nestedOf, observedView, withUid, type Observed } from './helpers.js';

const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
/** The full estate with EKS clusters, so every primitive is composed. */
const SPEC = {
  ...FULL_SPEC,
  kubernetes: { platformRoleArn: `arn:aws:iam::${ACCOUNT}:role/platform`, standby: 'pilot-light' },
} as const;
/** Everything the composers read from observed state, as AWS would report it. */
const observed: Record<string, Observed> = Object.fromEntries([
  ...regions.flatMap((r) => [
    [
      `aurora-cluster-${r}`,
      {
        ready: true,
        arn: `arn:aws:rds:${r}:${ACCOUNT}:cluster:c`,
        atProvider: { endpoint: `w.${r}.rds.amazonaws.com`, readerEndpoint: `r.${r}.rds.amazonaws.com` },
      },
    ],
    [
      `service-api-${r}`,
      {
        ready: true,
        atProvider: {
          apiEndpoint: `https://a.execute-api.${r}.amazonaws.com`,
          executionArn: `arn:aws:execute-api:${r}:${ACCOUNT}:a`,
        },
      },
    ],
    [`health-check-${r}`, { ready: true, atProvider: { id: `hc-${r}` } }],
    [`alerts-topic-${r}`, { ready: true, arn: `arn:aws:sns:${r}:${ACCOUNT}:alerts` }],
    [`backup-vault-${r}`, { ready: true, arn: `arn:aws:backup:${r}:${ACCOUNT}:backup-vault:v` }],
    [`kms-cluster-${r}`, { ready: true, arn: `arn:aws:kms:${r}:${ACCOUNT}:key/k` }],
    [
      `eks-cluster-${r}`,
      {
        ready: true,
        arn: `arn:aws:eks:${r}:${ACCOUNT}:cluster/c`,
        atProvider: { endpoint: `https://ABC.gr7.${r}.eks.amazonaws.com` },
      },
    ],
  ]),
  ['service', { status: { regions: Object.fromEntries(regions.map((r) => [r, { endpoint: 'h', url: 'https://h/' }])) } }],
  [
    'database',
    { status: { regions: Object.fromEntries(regions.map((r) => [r, { endpoint: 'w', readerEndpoint: 'r', arn: 'arn' }])) } },
  ],
  ['routing', { status: { regions: Object.fromEntries(regions.map((r) => [r, { healthCheckId: 'hc' }])) } }],
]);

describe('status written by the function', () => {
  const composites = [compositeOf(claim(SPEC)), ...COMPOSITE_KINDS.slice(1).map((k) => withUid(nestedOf(SPEC, k.kind)))];
  it.each(composites.map((c) => [c.kind, c] as const))('%s: every field is declared in its status schema', (kind, composite) => {
    const status = composeLive(composite, observedView(observed)).status;
    const schema = COMPOSITE_KINDS.find((k) => k.kind === kind)!.status;
    expect(schema.parse(status)).toEqual(status);
    expect(JSON.stringify(status)).not.toMatch(/known after creation/);
  });

  it('reports what was observed', () => {
    const service = composeLive(nestedOf(FULL_SPEC, 'XRegionalService'), observedView(observed)).status as any;
    expect(service.regions['us-west-2']).toMatchObject({ endpoint: 'a.execute-api.us-west-2.amazonaws.com' });
    const database = composeLive(nestedOf(FULL_SPEC, 'XGlobalDatabase'), observedView(observed)).status as any;
    expect(database.regions['eu-west-1'].arn).toBe(`arn:aws:rds:eu-west-1:${ACCOUNT}:cluster:c`);
    const monitoring = composeLive(nestedOf(FULL_SPEC, 'XDRMonitoring'), observedView(observed)).status as any;
    expect(monitoring.regions['us-east-1'].arn).toBe(`arn:aws:sns:us-east-1:${ACCOUNT}:alerts`);
    const cluster = composeLive(nestedOf(SPEC, 'XRegionalCluster'), observedView(observed)).status as any;
    expect(cluster.regions['us-west-2']).toMatchObject({
      endpoint: 'https://ABC.gr7.us-west-2.eks.amazonaws.com',
      arn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/c`,
    });
  });
});
