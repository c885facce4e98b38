/**
 * routing.arc.readiness: each region's ARC readiness in the claim's status. The region's lag monitor reads its cell
 * (GetCellReadinessSummary) and writes a report to an SSM String parameter of its region; the routing composite
 * observes it (managementPolicies Observe) and publishes readiness, time and when it turns stale; the estate copies it
 * into the claim's status.regions.<region>.readiness.
 */
import { describe, expect, it } from 'vitest';
import { LAG_MONITOR_ENV } from '../../lambda/shared/env-contract.js';
import { formatReadinessReport, type Readiness } from '../../lambda/shared/readiness.js';
import { INFORMATIONAL, gatesReadiness } from '../../src/compose/observed.js';
import type { Manifest } from '../../src/compose/types.js';
import {
  ACCOUNT,
  FULL_SPEC,
  byKey,
  claim,
  composeLive,
  externalName,
  fp,
  keysOf,
  nestedOf,
  observedView,
  policyOf,
  spec,
  type Observed,
} from './helpers.js';
import { compositeOf } from '../../src/compose/plan.js';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'] as const;
const hosts = Object.fromEntries(REGIONS.map((r) => [r, `fn-${r}.lambda-url.${r}.on.aws`]));
const NOW = new Date('2026-12-06T20:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

const estate = (readiness: boolean, control: 'arc' | 'health-check' = 'arc', monitoring = true) => ({
  ...FULL_SPEC,
  service: { ...FULL_SPEC.service, authType: 'NONE', httpApi: false },
  routing: { ...FULL_SPEC.routing, control, ...(control === 'arc' ? { arc: { readiness } } : {}) },
  monitoring: monitoring ? FULL_SPEC.monitoring : undefined,
});

function routing(readiness = true, control: 'arc' | 'health-check' = 'arc', monitoring = true): Manifest {
  const xr = nestedOf(estate(readiness, control, monitoring), 'XFailoverRouting');
  return { ...xr, spec: { ...spec(xr), serviceEndpoints: hosts } };
}

const controlArn = (r: string) =>
  `arn:aws:route53-recovery-control::${ACCOUNT}:controlpanel/abc/routingcontrol/${r.replaceAll('-', '')}`;
const base = (): Record<string, Observed> =>
  Object.fromEntries(
    REGIONS.flatMap((r) => [
      [`arc-routing-control-${r}`, { ready: true, arn: controlArn(r) }],
      [`health-check-${r}`, { ready: true, atProvider: { id: `hc-${r}` } }],
    ]),
  );

/** The cell name routing composes for a region. */
const cellOf = (r: string): string => externalName(byKey(composeLive(routing(), observedView(base())), `readiness-cell-${r}`))!;

/**
 * An observed report parameter as the provider shows an Observe-only String parameter: the Description in
 * status.atProvider, the value never (the provider fills insecureValue only for a value set in forProvider, and routes
 * the value to a connection secret).
 */
const reported = (cell: string, readiness: Readiness, checkedAt: string): Observed => ({
  ready: true,
  atProvider: { description: formatReadinessReport({ cell, readiness, checkedAt }), type: 'String', tier: 'Standard' },
});

type RegionStatus = { readiness?: { state: string; checkedAt: string; staleAfter: string }; ready?: boolean };
const regionsOf = (out: { status: Record<string, unknown> }) => out.status.regions as Record<string, RegionStatus>;

describe('per-region ARC readiness in the status (routing.arc.readiness)', () => {
  it('observes, never manages, one report parameter per region, named by the lag monitor’s state prefix, in that region', () => {
    const out = composeLive(routing(), observedView(base()), { today: NOW });
    for (const r of REGIONS) {
      const p = byKey(out, `readiness-report-${r}`);
      expect(p.kind).toBe('Parameter');
      expect(p.apiVersion).toMatch(/^ssm\.aws\.upbound\.io\//);
      expect(spec(p).managementPolicies).toEqual(['Observe']);
      expect(fp(p)).toEqual({ region: r });
      // The provider imports a Parameter by its name (NameAsIdentifier); the lag monitor writes <state prefix>/arc-readiness.
      expect(externalName(p)).toMatch(/^\/drplane\/e[0-9a-f]{7}\/lag-state\/arc-readiness$/);
      expect(gatesReadiness(p)).toBe(false);
      expect((p.metadata as { annotations: Record<string, string> }).annotations[INFORMATIONAL]).toBe('true');
    }
  });

  it('publishes each region’s reported readiness with its time and when it turns stale (30 minutes on), absent without a report', () => {
    const out = composeLive(
      routing(),
      observedView({
        ...base(),
        'readiness-report-us-east-1': reported(cellOf('us-east-1'), 'READY', minutesAgo(2)),
        'readiness-report-us-west-2': reported(cellOf('us-west-2'), 'NOT_READY', minutesAgo(31)),
      }),
      { today: NOW },
    );
    const regions = regionsOf(out);
    expect(regions['us-east-1']!.readiness).toEqual({ state: 'READY', checkedAt: minutesAgo(2), staleAfter: minutesAgo(-28) });
    expect(regions['us-west-2']!.readiness).toEqual({ state: 'NOT_READY', checkedAt: minutesAgo(31), staleAfter: minutesAgo(1) });
    expect(regions['eu-west-1']!.readiness).toBeUndefined();
  });

  it('renders the same status whatever the function’s clock says (deterministic output)', () => {
    const seen = observedView({ ...base(), 'readiness-report-us-east-1': reported(cellOf('us-east-1'), 'READY', minutesAgo(2)) });
    const at = (today?: Date) => JSON.stringify(composeLive(routing(), seen, today ? { today } : {}).status);
    expect(at(NOW)).toBe(at(new Date(NOW.getTime() + 3 * 3600_000)));
    expect(at(NOW)).toBe(at());
    expect(at(NOW)).toContain('"staleAfter"');
  });

  it('ignores a report of another cell, an unreadable one, and a value in insecureValue (the provider never shows one there)', () => {
    const out = composeLive(
      routing(),
      observedView({
        ...base(),
        'readiness-report-us-east-1': reported(cellOf('us-west-2'), 'READY', minutesAgo(1)),
        'readiness-report-us-west-2': { ready: true, atProvider: { description: 'READY' } },
        'readiness-report-eu-west-1': {
          ready: true,
          atProvider: {
            insecureValue: formatReadinessReport({ cell: cellOf('eu-west-1'), readiness: 'READY', checkedAt: minutesAgo(1) }),
          },
        },
      }),
      { today: NOW },
    );
    for (const r of REGIONS) expect(regionsOf(out)[r]!.readiness).toBeUndefined();
  });

  it('an absent report holds no region’s readiness (it exists only once the lag monitor has run)', () => {
    // Observe every composed resource Ready except the reports, until nothing new is composed.
    const seen: Record<string, Observed> = base();
    let out = composeLive(routing(), observedView(seen), { today: NOW });
    for (let i = 0; i < 6; i++) {
      for (const k of keysOf(out)) if (!k.startsWith('readiness-report-')) seen[k] = { ...seen[k], ready: true };
      out = composeLive(routing(), observedView(seen), { today: NOW });
    }
    expect(keysOf(out).filter((k) => k.startsWith('readiness-report-'))).toHaveLength(3);
    for (const r of REGIONS) expect(regionsOf(out)[r]!.ready).toBe(true);
    // The same with another resource of the region not Ready: the region is not ready (the check can fail).
    const held = composeLive(routing(), observedView({ ...seen, 'readiness-cell-us-west-2': { ready: false } }), { today: NOW });
    expect(regionsOf(held)['us-west-2']!.ready).toBe(false);
  });

  it('composes no report without routing.arc.readiness, for a health-check estate, or without monitoring (no lag monitor writes one)', () => {
    expect(spec(routing(true, 'arc', false)).readinessReports).toBe(false);
    expect(spec(routing()).readinessReports).toBe(true);
    for (const xr of [routing(false), routing(true, 'health-check'), routing(true, 'arc', false)]) {
      const out = composeLive(xr, observedView(base()), { today: NOW });
      expect(keysOf(out).filter((k) => k.startsWith('readiness-report-'))).toEqual([]);
    }
  });

  it('the claim’s status carries each region’s readiness from the routing composite', () => {
    const xr = compositeOf(claim(estate(true)));
    const readiness = { state: 'NOT_READY', checkedAt: minutesAgo(3), staleAfter: minutesAgo(-27) };
    const out = composeLive(xr, observedView({ routing: { status: { regions: { 'us-west-2': { readiness } } } } }));
    expect(regionsOf(out)['us-west-2']!.readiness).toEqual(readiness);
    expect(regionsOf(out)['us-east-1']!.readiness).toBeUndefined();
  });
});

describe('the lag monitor reports each region’s cell (routing.arc.readiness)', () => {
  const topicArn = (r: string) => `arn:aws:sns:${r}:${ACCOUNT}:payments-alerts-prod`;
  const keyArn = (r: string) => `arn:aws:kms:${r}:${ACCOUNT}:key/0000-${r}`;
  const observed = observedView(
    Object.fromEntries(
      REGIONS.flatMap((r) => [
        [`alerts-topic-${r}`, { ready: true, arn: topicArn(r) }],
        [`kms-monitoring-${r}`, { ready: true, arn: keyArn(r) }],
        [`lag-monitor-function-${r}`, { ready: true }],
        [`lag-monitor-role-${r}`, { ready: true, arn: `arn:aws:iam::${ACCOUNT}:role/lag-${r}` }],
      ]),
    ),
  );
  /** A monitoring composite of an ARC estate without replicated stores (no database, table or bucket). */
  const monitoring = (readiness: boolean) => {
    const { database: _d, tables: _t, buckets: _b, ...noStores } = estate(readiness) as Record<string, unknown>;
    return nestedOf(noStores, 'XDRMonitoring');
  };

  it('runs a monitor in each region even without stores, told its own cell, allowed to read that cell only', () => {
    const out = composeLive(monitoring(true), observed);
    for (const r of REGIONS) {
      const fn = byKey(out, `lag-monitor-function-${r}`);
      const env = fp(fn).environment.variables as Record<string, string>;
      expect(env[LAG_MONITOR_ENV.readinessCell]).toBe(cellOf(r));
      expect(JSON.parse(env[LAG_MONITOR_ENV.stores]!)).toEqual([]);
      const read = policyOf(byKey(out, `lag-monitor-policy-${r}`)).Statement.filter((s) =>
        (s.Action as string[]).some((a) => a.startsWith('route53-recovery-readiness:')),
      );
      expect(read).toEqual([
        {
          Sid: 'ReadReadiness',
          Effect: 'Allow',
          Action: ['route53-recovery-readiness:GetCellReadinessSummary'],
          Resource: [`arn:aws:route53-recovery-readiness::${ACCOUNT}:cell/${cellOf(r)}`],
        },
      ]);
    }
  });

  it('without routing.arc.readiness (and no stores) composes no monitor', () => {
    const out = composeLive(monitoring(false), observed);
    expect(keysOf(out).filter((k) => k.startsWith('lag-monitor-'))).toEqual([]);
  });
});
