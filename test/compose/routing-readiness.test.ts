/**
 * routing.control arc: ARC readiness checks (route53recoveryreadiness) — a recovery group of one cell per region, a
 * resource set per checked resource type with each region's resource scoped to its cell, a readiness check per set;
 * each region's cell in the status once Ready. health-check estates compose none of it.
 */
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/compose/types.js';
import {
  ACCOUNT,
  FULL_SPEC,
  byKey,
  composeLive,
  externalName,
  fp,
  keysOf,
  labels,
  nestedOf,
  observedView,
  plan,
  spec,
} from './helpers.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
const hosts = Object.fromEntries(REGIONS.map((r) => [r, `fn-${r}.lambda-url.${r}.on.aws`]));
const GROUP = 'route53recoveryreadiness.aws.upbound.io';

/** FULL_SPEC with CNAME records (no custom domain first), the given routing control and routing.arc.readiness. */
const estate = (control: 'arc' | 'health-check', readiness = true) => ({
  ...FULL_SPEC,
  service: { ...FULL_SPEC.service, authType: 'NONE', httpApi: false },
  routing: { ...FULL_SPEC.routing, control, ...(control === 'arc' ? { arc: { readiness } } : {}) },
});

function routing(control: 'arc' | 'health-check' = 'arc', readiness = true): Manifest {
  const xr = nestedOf(estate(control, readiness), 'XFailoverRouting');
  return { ...xr, spec: { ...spec(xr), serviceEndpoints: hosts } };
}

/** A cluster shared from another account (ARC clusters can be shared across accounts). */
const SHARED = 'arn:aws:route53-recovery-control::999988887777:cluster/5678abcd-abcd-5678-abcd-5678abcdef01';

const controlArn = (r: string) =>
  `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/abc/routingcontrol/${r.replaceAll('-', '')}`;

/** Observed: the routing controls (their ARNs name the account), the endpoint health checks, and `more`. */
function observed(more: Record<string, object> = {}, withControls = true) {
  return observedView({
    ...Object.fromEntries(
      REGIONS.flatMap((r) => [
        ...(withControls ? [[`arc-routing-control-${r}`, { ready: true, arn: controlArn(r) }]] : []),
        [`health-check-${r}`, { ready: true, atProvider: { id: `hc-${r}` } }],
      ]),
    ),
    ...more,
  });
}

const readiness = (out: ReturnType<typeof composeLive>) =>
  out.resources.filter((r) => r.manifest.apiVersion.startsWith(GROUP)).map((r) => r.key);

describe('ARC readiness checks (routing.control arc)', () => {
  it('composes a cell per region and, once the account is observed, the recovery group of their ARNs', () => {
    const out = composeLive(routing(), observed());
    const cells = REGIONS.map((r) => byKey(out, `readiness-cell-${r}`));
    for (const [i, cell] of cells.entries()) {
      const name = externalName(cell)!;
      // botocore __stringMax64PatternAAZAZ09Z: 1-64 letters, digits, underscores.
      expect(name).toMatch(/^[A-Za-z0-9_]{1,64}$/);
      expect(fp(cell).region).toBeUndefined();
      expect(labels(cell)['drplane.io/region']).toBe(REGIONS[i]);
    }
    const arns = cells.map((c) => `arn:aws:route53-recovery-readiness::${ACCOUNT}:cell/${externalName(c)}`);
    const group = byKey(out, 'readiness-recovery-group');
    expect(fp(group).cells).toEqual(arns);
    expect(externalName(group)).toMatch(/^payments_recovery_prod_e[0-9a-f]{7}$/);
  });

  it('puts each region’s health check, service function, Aurora cluster and table replica in one resource set per type, scoped to its cell', () => {
    const out = composeLive(routing(), observed());
    const cell = (r: string) =>
      `arn:aws:route53-recovery-readiness::${ACCOUNT}:cell/${externalName(byKey(out, `readiness-cell-${r}`))}`;
    const set = (slug: string) => fp(byKey(out, `readiness-resource-set-${slug}`));
    const expectSet = (slug: string, type: string, arnIn: (r: string) => RegExp) => {
      const s = set(slug);
      expect(s.resourceSetType).toBe(type);
      expect(s.resources).toHaveLength(REGIONS.length);
      REGIONS.forEach((r, i) => {
        expect(s.resources[i].resourceArn).toMatch(arnIn(r));
        expect(s.resources[i].readinessScopes).toEqual([cell(r)]);
      });
    };
    expectSet('health-checks', 'AWS::Route53::HealthCheck', (r) => new RegExp(`^arn:aws:route53:::healthcheck/hc-${r}$`));
    expectSet(
      'functions',
      'AWS::Lambda::Function',
      (r) => new RegExp(`^arn:aws:lambda:${r}:${ACCOUNT}:function:payments-service-prod-`),
    );
    expectSet('aurora', 'AWS::RDS::DBCluster', (r) => new RegExp(`^arn:aws:rds:${r}:${ACCOUNT}:cluster:payments-aurora-prod-`));
    expectSet(
      'table-transactions',
      'AWS::DynamoDB::Table',
      (r) => new RegExp(`^arn:aws:dynamodb:${r}:${ACCOUNT}:table/payments-transactions-prod-e[0-9a-f]{7}$`),
    );
  });

  it('names the same ARNs the other primitives compose: the service function, the Aurora cluster and the table', () => {
    const planned = plan(estate('arc'));
    const names = (kind: string) =>
      planned.filter((p) => p.manifest.kind === kind && p.region === 'us-west-2').map((p) => externalName(p.manifest));
    const out = composeLive(routing(), observed());
    const arnOf = (slug: string) => fp(byKey(out, `readiness-resource-set-${slug}`)).resources[1].resourceArn as string;
    expect(names('Function')).toContain(arnOf('functions').split(':function:')[1]);
    expect(names('Cluster')).toContain(arnOf('aurora').split(':cluster:')[1]);
    const tables = planned.filter((p) => p.manifest.kind === 'Table').map((p) => externalName(p.manifest));
    expect(tables).toContain(arnOf('table-transactions').split(':table/')[1]);
  });

  it('adds a readiness check of a resource set once the set exists, naming it (the kind has no reference)', () => {
    const before = composeLive(routing(), observed());
    expect(readiness(before).filter((k) => k.startsWith('readiness-check-'))).toEqual([]);
    const setName = externalName(byKey(before, 'readiness-resource-set-aurora'));
    const after = composeLive(routing(), observed({ 'readiness-resource-set-aurora': { ready: true } }));
    const check = byKey(after, 'readiness-check-aurora');
    expect(fp(check).resourceSetName).toBe(setName);
    expect(externalName(check)).toMatch(/^payments_check_aurora_prod_e[0-9a-f]{7}$/);
  });

  it('waits for the account (no ARN observed yet): cells only, no group, no resource sets', () => {
    const out = composeLive(routing(), observed({}, false));
    expect(readiness(out)).toEqual(REGIONS.map((r) => `readiness-cell-${r}`));
  });

  it('keeps a composed group, set and check with their last forProvider when the account is no longer observed', () => {
    const first = composeLive(routing(), observed({ 'readiness-resource-set-functions': { ready: true } }));
    const lastOf = (key: string) => ({ ready: true, spec: { forProvider: fp(byKey(first, key)) } });
    const lost = composeLive(
      routing(),
      observed(
        {
          'readiness-recovery-group': lastOf('readiness-recovery-group'),
          'readiness-resource-set-functions': lastOf('readiness-resource-set-functions'),
          'readiness-check-functions': lastOf('readiness-check-functions'),
        },
        false,
      ),
    );
    for (const key of ['readiness-recovery-group', 'readiness-resource-set-functions', 'readiness-check-functions'])
      expect(byKey(lost, key)).toEqual(byKey(first, key));
    // Never composed: still waits.
    expect(keysOf(lost)).not.toContain('readiness-resource-set-aurora');
  });

  it("publishes each region's cell name once its Cell is Ready", () => {
    const out = composeLive(routing(), observed({ 'readiness-cell-us-west-2': { ready: true } }));
    const regions = out.status.regions as Record<string, { readinessCell?: string }>;
    expect(regions['us-west-2']!.readinessCell).toBe(externalName(byKey(out, 'readiness-cell-us-west-2')));
    expect(regions['us-east-1']!.readinessCell).toBeUndefined();
  });

  it('health-check estates compose no readiness resources', () => {
    const out = composeLive(routing('health-check'), observed({ 'readiness-resource-set-aurora': { ready: true } }));
    expect(readiness(out)).toEqual([]);
    expect(plan(estate('health-check')).filter((p) => p.manifest.apiVersion.startsWith(GROUP))).toEqual([]);
  });

  it('never reads the account from a shared cluster, which may be another account’s: only from the controls it creates', () => {
    const xr = routing();
    const sharedArc = {
      ...xr,
      spec: { ...spec(xr), routing: { ...spec(xr).routing, arc: { readiness: true, clusterArn: SHARED } } },
    };
    const clusterOnly = observed({ 'arc-cluster': { ready: true, arn: SHARED } }, false);
    expect(keysOf(composeLive(sharedArc, clusterOnly))).not.toContain('readiness-recovery-group');
    const withControls = observed({ 'arc-cluster': { ready: true, arn: SHARED } });
    const group = byKey(composeLive(sharedArc, withControls), 'readiness-recovery-group');
    expect(fp(group).cells.every((arn: string) => arn.startsWith(`arn:aws:route53-recovery-readiness::${ACCOUNT}:cell/`))).toBe(
      true,
    );
  });

  it('arc estates without routing.arc.readiness compose none (AWS no longer opens readiness checks to new customers), and no cell in the status', () => {
    const out = composeLive(
      routing('arc', false),
      observed({ 'readiness-resource-set-aurora': { ready: true }, 'readiness-cell-us-west-2': { ready: true } }),
    );
    expect(readiness(out)).toEqual([]);
    const regions = out.status.regions as Record<string, { readinessCell?: string }>;
    expect(regions['us-west-2']!.readinessCell).toBeUndefined();
    expect(plan(estate('arc', false)).filter((p) => p.manifest.apiVersion.startsWith(GROUP))).toEqual([]);
  });

  it('plans the group, 3 cells, 4 resource sets and 4 readiness checks for a three-region arc estate with a database and one table', () => {
    const kinds = plan(estate('arc'))
      .filter((p) => p.manifest.apiVersion.startsWith(GROUP))
      .map((p) => p.manifest.kind);
    const count = (k: string) => kinds.filter((x) => x === k).length;
    expect([count('RecoveryGroup'), count('Cell'), count('ResourceSet'), count('ReadinessCheck')]).toEqual([1, 3, 4, 4]);
  });
});
