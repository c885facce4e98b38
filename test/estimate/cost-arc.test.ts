/**
 * routing.control arc in the cost estimate: the ARC cluster by the hour and the checks with no endpoint, at the
 * unconfirmed list prices the estimate notes; health-check (unset) bills neither.
 */
import { describe, expect, it } from 'vitest';
import { planClaim } from '../../src/compose/plan.js';
import { estimateCost } from '../../src/estimate/cost.js';
import { PRICES } from '../../src/estimate/prices.js';
import { SHARED_ARC_CLUSTER, threeRegionArc } from '../support/variants.js';
import { linesOf } from './helpers.js';

/** The ARC cluster's lines of an estimate (the ARC component also holds the readiness checks). */
const clusterLines = (e: ReturnType<typeof estimateCost>) =>
  linesOf(e, 'global', 'Route 53 ARC').filter((l) => l.priceId === 'arcCluster');

describe('cost of routing.control arc', () => {
  const arc = threeRegionArc({ readiness: true });
  const withArc = estimateCost(arc.spec, planClaim(arc));
  const health = { ...arc, spec: { ...arc.spec, routing: { ...arc.spec.routing!, control: undefined } } };
  const without = estimateCost(health.spec, planClaim(health));

  it('bills one cluster for the hours of the month, from the plan, at an unconfirmed list price', () => {
    const [cluster, ...more] = clusterLines(withArc);
    expect(more).toEqual([]);
    expect(cluster).toMatchObject({ priceId: 'arcCluster', basis: 'plan', quantity: 730, unit: 'cluster-hour' });
    expect(cluster!.monthlyUsd).toBe(730 * PRICES.arcCluster.usd);
    expect(PRICES.arcCluster.status).toBe('unconfirmed');
    expect(PRICES.arcCluster.confirmBy).toMatch(/ARC pricing page/);
  });

  it('bills the RECOVERY_CONTROL and CALCULATED checks (two per region) on their own line, without optional features', () => {
    const gates = linesOf(withArc, 'global', 'Route 53', 'health checks without an endpoint');
    expect(gates).toEqual([expect.objectContaining({ quantity: 6, priceId: 'healthCheckNoEndpoint' })]);
    const probes = (e: typeof withArc) => linesOf(e, 'global', 'Route 53').filter((l) => l.priceId !== 'healthCheckNoEndpoint');
    expect(probes(withArc)).toEqual(probes(without));
  });

  it('bills a readiness check per resource set (health checks, functions, Aurora, 2 tables) by the hour, from the plan, unconfirmed', () => {
    const [readiness, ...more] = linesOf(withArc, 'global', 'Route 53 ARC').filter((l) => l.priceId === 'arcReadinessCheck');
    expect(more).toEqual([]);
    expect(readiness).toMatchObject({ basis: 'plan', quantity: 5 * 730, unit: 'readiness check-hour' });
    expect(readiness!.monthlyUsd).toBe(164.25);
    expect(PRICES.arcReadinessCheck.status).toBe('unconfirmed');
    expect(PRICES.arcReadinessCheck.confirmBy).toMatch(/ARC pricing page, readiness check/);
  });

  it('adds exactly the cluster, the six checks, the five readiness checks and the three report alarms to the estate, and health-check bills none', () => {
    expect(linesOf(without, 'global', 'Route 53 ARC')).toEqual([]);
    expect(linesOf(without, 'global', 'Route 53', 'health checks without an endpoint')).toEqual([]);
    // One standard alarm per region on its lag monitor's ReadinessReportErrors (the example has monitoring).
    for (const r of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const alarmsIn = (e: typeof withArc) => linesOf(e, r, 'CloudWatch').find((l) => l.priceId === 'alarmStandard')!.quantity;
      expect(alarmsIn(withArc) - alarmsIn(without), r).toBe(1);
    }
    const extra =
      730 * PRICES.arcCluster.usd +
      6 * PRICES.healthCheckNoEndpoint.usd +
      5 * 730 * PRICES.arcReadinessCheck.usd +
      3 * PRICES.alarmStandard.usd;
    expect(Math.round((withArc.totalMonthlyUsd - without.totalMonthlyUsd) * 100) / 100).toBe(extra);
  });

  it('on a shared cluster (routing.arc.clusterArn): a $0 line, from the plan, that says the cluster is billed where it was created', () => {
    const shared = threeRegionArc({ clusterArn: SHARED_ARC_CLUSTER, readiness: true });
    const [cluster, ...more] = clusterLines(estimateCost(shared.spec, planClaim(shared)));
    expect(more).toEqual([]);
    expect(cluster).toMatchObject({ priceId: 'arcCluster', quantity: 0, monthlyUsd: 0, basis: 'plan' });
    expect(cluster!.item).toMatch(/shared .*billed where it was created/);
    expect(cluster!.item).toContain(SHARED_ARC_CLUSTER);
    // the plan only (audit-16b L6): a plan without the cluster's observed view has no line, as for an own cluster
    expect(clusterLines(estimateCost(shared.spec, []))).toEqual([]);
    const sharedTotal = estimateCost(shared.spec, planClaim(shared)).totalMonthlyUsd;
    expect(Math.round((withArc.totalMonthlyUsd - sharedTotal) * 100) / 100).toBe(730 * PRICES.arcCluster.usd);
  });

  it('reads the cluster, the checks and the readiness checks from the plan only: one cluster, two checks per region, five readiness checks; none in a plan without them', () => {
    const e = estimateCost(arc.spec, planClaim(arc));
    expect(linesOf(e, 'global', 'Route 53 ARC')).toEqual([
      expect.objectContaining({ basis: 'plan', quantity: 730, priceId: 'arcCluster' }),
      expect.objectContaining({ basis: 'plan', quantity: 5 * 730, priceId: 'arcReadinessCheck' }),
    ]);
    expect(linesOf(e, 'global', 'Route 53', 'health checks without an endpoint')).toEqual([
      expect.objectContaining({ basis: 'plan', quantity: 6 }),
    ]);
    const bare = estimateCost(arc.spec, []);
    expect(linesOf(bare, 'global', 'Route 53 ARC')).toEqual([]);
    expect(linesOf(bare, 'global', 'Route 53', 'health checks without an endpoint')).toEqual([]);
  });
});
