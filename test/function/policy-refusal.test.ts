/**
 * A claim that passes the API server's schema and CEL but breaks a policy rule of severity error (one the XRD cannot
 * express) reaches the function. A new estate with such a claim is refused (Fatal naming the rule, nothing composed);
 * a live estate keeps composing and reports the rule as a Warning event, since freezing it could block a failover.
 */
import { RunFunctionRequest, Severity } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { compositeOf } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { runFunction } from '../../src/function/handler.js';
import { validateClaim } from '../../src/policy/validate.js';
import { FULL_SPEC, claim } from '../compose/helpers.js';

/** FULL_SPEC in us-east-1 and il-central-1 with db.r6g.large, which il-central-1 does not offer for aurora-postgresql. */
const ISRAEL = {
  ...FULL_SPEC,
  regions: { primary: 'us-east-1', secondaries: ['il-central-1'] },
  network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'il-central-1': '10.1.0.0/16' } },
  database: { ...FULL_SPEC.database, engineVersion: '16.8', instanceClass: 'db.r6g.large' },
  service: { ...FULL_SPEC.service, runtime: 'nodejs24.x' },
};

const request = (composite: unknown, observed: Record<string, unknown> = {}) =>
  RunFunctionRequest.fromJSON({
    observed: {
      composite: { resource: composite },
      resources: Object.fromEntries(Object.entries(observed).map(([k, v]) => [k, { resource: v }])),
    },
  });

const composite = (spec: object) =>
  ({ ...compositeOf(claim(spec)), metadata: { name: 'payments-x', generation: 1 } }) as Manifest;
const fatals = (rsp: ReturnType<typeof runFunction>) =>
  rsp.results.filter((r) => r.severity === Severity.SEVERITY_FATAL).map((r) => r.message);

describe('a claim past validation that the function refuses', () => {
  it('the claim breaks only database.instance-class-region among the errors, a rule the XRD cannot express', () => {
    const errors = validateClaim(claim(ISRAEL), { today: new Date() }).problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.ruleId)).toEqual(['database.instance-class-region']);
  });

  it('a new estate: Fatal naming the rule and the field, nothing composed', () => {
    const rsp = runFunction(request(composite(ISRAEL)));
    expect(fatals(rsp)).toEqual([
      expect.stringMatching(
        /^invalid XDisasterRecovery: spec\.database\.instanceClass: db\.r6g\.large is not offered for aurora-postgresql in il-central-1 .*\(database\.instance-class-region\); nothing is composed for this new estate until the claim is fixed/,
      ),
    ]);
    expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([]);
  });

  it('an RPO of 0 on a new estate (objectives.rpo-zero): refused', () => {
    const rsp = runFunction(
      request(
        composite({
          ...ISRAEL,
          database: { ...ISRAEL.database, instanceClass: 'db.r7g.large' },
          objectives: { rpoSeconds: 0, rtoMinutes: 15 },
        }),
      ),
    );
    expect(fatals(rsp)).toEqual([expect.stringContaining('(objectives.rpo-zero)')]);
  });

  it('a live estate with the same claim keeps composing, and the rule is a Warning event on every reconcile', () => {
    const first = runFunction(request(composite({ ...ISRAEL, database: { ...ISRAEL.database, instanceClass: 'db.r7g.large' } })));
    expect(fatals(first)).toEqual([]);
    const observed = Object.fromEntries(Object.entries(first.desired!.resources).map(([k, r]) => [k, r.resource]));
    const rsp = runFunction(request(composite(ISRAEL), observed));
    expect(fatals(rsp)).toEqual([]);
    expect(Object.keys(rsp.desired!.resources).sort()).toEqual(Object.keys(observed).sort());
    expect(
      rsp.results.filter(
        (r) => r.severity === Severity.SEVERITY_WARNING && r.message.includes('(database.instance-class-region, an error'),
      ),
    ).toHaveLength(1);
  });

  it('a rule whose verdict depends on the day (a deprecated runtime) does not refuse a new estate', () => {
    const rsp = runFunction(
      request(
        composite({
          ...ISRAEL,
          database: { ...ISRAEL.database, instanceClass: 'db.r7g.large' },
          service: { ...ISRAEL.service, runtime: 'nodejs20.x' },
        }),
      ),
    );
    expect(fatals(rsp)).toEqual([]);
    expect(rsp.results.some((r) => r.message.includes('(service.runtime-support, an error'))).toBe(true);
  });

  it('an EKS version past extended support (kubernetes.version-support, dated) does not refuse a new estate (audit 16 M1)', () => {
    // 1.29's extended support ended on 2026-03-23: an error on any day the function runs from now on.
    const rsp = runFunction(
      request(
        composite({
          ...ISRAEL,
          regions: { primary: 'us-east-1', secondaries: ['us-west-2'] },
          network: { cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16' } },
          database: { ...ISRAEL.database, instanceClass: 'db.r7g.large' },
          kubernetes: { platformRoleArn: 'arn:aws:iam::123456789012:role/platform', version: '1.29' },
        }),
      ),
    );
    expect(fatals(rsp)).toEqual([]);
    expect(rsp.results.some((r) => r.message.includes('(kubernetes.version-support, an error'))).toBe(true);
    expect(Object.keys(rsp.desired?.resources ?? {}).length).toBeGreaterThan(0);
  });
});
