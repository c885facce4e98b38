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

type RegionStatus = {
  readiness?: { state: string; checkedAt?: string; staleAfter?: string; reason?: string };
  ready?: boolean;
};
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

  it('publishes each region’s reported readiness with its time and when it turns stale (30 minutes on), UNKNOWN with the reason without a report', () => {
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
    // No report observed in eu-west-1 (the parameter not observed yet): UNKNOWN, saying why, with no time.
    expect(regions['eu-west-1']!.readiness).toEqual({
      state: 'UNKNOWN',
      reason: expect.stringMatching(
        /^no report observed yet: the lag monitor of eu-west-1 has not written \/drplane\/e[0-9a-f]{7}\/lag-state\/arc-readiness/,
      ),
    });
  });

  it('a report dated more than 5 minutes after the function’s clock is no report (UNKNOWN, saying why); up to 5 minutes is clock skew', () => {
    const ahead = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();
    const seen = observedView({
      ...base(),
      // A forged or skewed checkedAt a day ahead would otherwise stay fresh (staleAfter) for a day.
      'readiness-report-us-east-1': reported(cellOf('us-east-1'), 'READY', ahead(24 * 60)),
      'readiness-report-us-west-2': reported(cellOf('us-west-2'), 'READY', ahead(5.5)),
      'readiness-report-eu-west-1': reported(cellOf('eu-west-1'), 'NOT_READY', ahead(4)),
    });
    const regions = regionsOf(composeLive(routing(), seen, { today: NOW }));
    expect(regions['us-east-1']!.readiness).toEqual({
      state: 'UNKNOWN',
      reason: `the report in us-east-1 is dated ${ahead(24 * 60)}, more than 5 minutes after ${NOW.toISOString()} (a skewed clock or a hand-written value)`,
    });
    expect(regions['us-west-2']!.readiness).toMatchObject({ state: 'UNKNOWN', reason: expect.stringContaining(ahead(5.5)) });
    expect(regions['eu-west-1']!.readiness).toEqual({ state: 'NOT_READY', checkedAt: ahead(4), staleAfter: ahead(34) });
    // Once the clock has caught up, the same report is taken.
    const later = regionsOf(composeLive(routing(), seen, { today: new Date(NOW.getTime() + 24 * 3600_000) }));
    expect(later['us-east-1']!.readiness).toEqual({ state: 'READY', checkedAt: ahead(24 * 60), staleAfter: ahead(24 * 60 + 30) });
  });

  it('renders the same status whatever the function’s clock says (deterministic output)', () => {
    const seen = observedView({ ...base(), 'readiness-report-us-east-1': reported(cellOf('us-east-1'), 'READY', minutesAgo(2)) });
    const at = (today?: Date) => JSON.stringify(composeLive(routing(), seen, today ? { today } : {}).status);
    expect(at(NOW)).toBe(at(new Date(NOW.getTime() + 3 * 3600_000)));
    expect(at(NOW)).toBe(at());
    expect(at(NOW)).toContain('"staleAfter"');
  });

  it('shows UNKNOWN, saying why, for a report of another cell, an unreadable one, and a value in insecureValue (the provider never shows one there)', () => {
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
    const regions = regionsOf(out);
    expect(regions['us-east-1']!.readiness).toEqual({
      state: 'UNKNOWN',
      reason: `the report in us-east-1 is of cell ${cellOf('us-west-2')}, not of ${cellOf('us-east-1')}`,
    });
    expect(regions['us-west-2']!.readiness).toEqual({
      state: 'UNKNOWN',
      reason: expect.stringMatching(
        /^the report in \/drplane\/e[0-9a-f]{7}\/lag-state\/arc-readiness \(us-west-2\) is not a readiness report$/,
      ),
    });
    expect(regions['eu-west-1']!.readiness).toEqual({
      state: 'UNKNOWN',
      reason: expect.stringMatching(/^the report parameter \S+ in eu-west-1 has no report/),
    });
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
      // The report parameter is the monitor's: it tags it with the estate's tags, and may tag nothing else.
      const tags = JSON.parse(env[LAG_MONITOR_ENV.reportTags]!) as Record<string, string>;
      expect(tags).toMatchObject({ ManagedBy: 'drplane', 'drplane:estate': expect.stringMatching(/^e[0-9a-f]{7}$/) });
      // The estate's tags as on its other resources: the function's own, but for its Name.
      const { Name: _name, ...functionTags } = fp(fn).tags as Record<string, string>;
      expect(tags).toEqual(functionTags);
      const tagging = policyOf(byKey(out, `lag-monitor-policy-${r}`)).Statement.filter((s) =>
        (s.Action as string[]).includes('ssm:AddTagsToResource'),
      );
      expect(tagging).toEqual([
        {
          Sid: 'TagReadinessReport',
          Effect: 'Allow',
          Action: ['ssm:AddTagsToResource'],
          Resource: [`arn:aws:ssm:${r}:${ACCOUNT}:parameter/drplane/${tags['drplane:estate']}/lag-state/arc-readiness`],
        },
      ]);
    }
  });

  it('a monitor of stores without readiness gets no report tags and no tagging permission', () => {
    const out = composeLive(nestedOf(estate(false), 'XDRMonitoring'), observed);
    const fn = byKey(out, `lag-monitor-function-us-east-1`);
    expect((fp(fn).environment.variables as Record<string, string>)[LAG_MONITOR_ENV.reportTags]).toBeUndefined();
    expect(JSON.stringify(policyOf(byKey(out, 'lag-monitor-policy-us-east-1')))).not.toContain('AddTagsToResource');
  });

  it('without routing.arc.readiness (and no stores) composes no monitor', () => {
    const out = composeLive(monitoring(false), observed);
    expect(keysOf(out).filter((k) => k.startsWith('lag-monitor-'))).toEqual([]);
  });
});
