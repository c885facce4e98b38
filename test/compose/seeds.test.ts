/**
 * The seed failures of the service, traffic, observability and recovery tier, each shown impossible
 * in the plan of every claim in claims/ (and the test estates): what the post-mortems in
 * ../shared/seeds describe cannot come out of drplane.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { planClaim } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { FULL_SPEC, TWO_REGION_SPEC, claim, externalName, fp, labels, managed } from './helpers.js';

const claimsDir = join(import.meta.dirname, '..', '..', 'examples');
const CLAIMS: ReadonlyArray<readonly [string, DisasterRecoveryClaim]> = [
  ...readdirSync(claimsDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f, DisasterRecoveryClaimSchema.parse(parse(readFileSync(join(claimsDir, f), 'utf8')))] as const),
  ['FULL_SPEC', claim(FULL_SPEC)],
  ['TWO_REGION_SPEC', claim(TWO_REGION_SPEC)],
  [
    'eu-only',
    claim({
      ...TWO_REGION_SPEC,
      regions: { primary: 'eu-west-1', secondaries: ['eu-central-1'] },
      network: undefined,
      database: undefined,
      failover: undefined,
    }),
  ],
];
const PLANS = CLAIMS.map(([name, c]) => [name, c, managed(planClaim(c))] as const);
const component = (m: Manifest) => labels(m)['drplane.io/component'] ?? '';
const sameFunction = (a: Manifest, b: Manifest) =>
  JSON.stringify(fp(a).functionNameSelector.matchLabels) === JSON.stringify(fp(b).functionNameSelector.matchLabels);

describe.each(PLANS)('%s', (_name, c, mrs) => {
  it('seed 002: every Function URL has both invoke permissions, with distinct statement ids', () => {
    for (const url of mrs.filter((m) => m.kind === 'FunctionURL')) {
      const perms = mrs.filter((m) => m.kind === 'Permission' && sameFunction(m, url));
      const viaUrl = perms.find((p) => fp(p).action === 'lambda:InvokeFunctionUrl');
      const invoke = perms.find((p) => fp(p).action === 'lambda:InvokeFunction' && fp(p).invokedViaFunctionUrl === true);
      expect(viaUrl, `InvokeFunctionUrl permission in ${fp(url).region}`).toBeDefined();
      expect(invoke, `InvokeFunction (invokedViaFunctionUrl) permission in ${fp(url).region}`).toBeDefined();
      expect(fp(viaUrl!).functionUrlAuthType).toBe(fp(url).authorizationType);
      expect(fp(viaUrl!).principal).toBe(fp(invoke!).principal);
      expect(fp(viaUrl!).statementId).not.toBe(fp(invoke!).statementId);
    }
  });

  it('seed 003: every alarm has alarm actions, the SNS alert topic of its own region', () => {
    for (const a of mrs.filter((m) => m.kind === 'MetricAlarm' || m.kind === 'CompositeAlarm')) {
      const actions: string[] = fp(a).alarmActions;
      expect(actions, externalName(a)).toHaveLength(1);
      // In a plan the ARN is a placeholder naming the topic it will be read from: XDRMonitoring's own topic of the
      // region, or (the failover trigger's alarms, in XFailoverController) that topic as XDRMonitoring reports it.
      expect([
        `<status.atProvider.arn of alerts-topic-${fp(a).region}, known after creation>`,
        `<status.regions.${fp(a).region}.arn of monitoring, known after creation>`,
      ]).toContain(actions[0]);
    }
  });

  it('seed 002: no hosted zone is ever created; records only in the claimed zone; health checks probe each region through the public name', () => {
    expect(mrs.filter((m) => m.kind === 'Zone')).toEqual([]);
    for (const r of mrs.filter((m) => m.kind === 'Record')) expect(fp(r).zoneId).toBe(c.spec.routing!.zoneId);
    const checks = mrs.filter((m) => m.kind === 'HealthCheck');
    expect(checks).toHaveLength(c.spec.routing && c.spec.service ? c.spec.regions.secondaries.length + 1 : 0);
    for (const hc of checks) {
      // The region's own custom domain of its HTTP API, certified with recordName: <region>.<recordName>.
      expect(fp(hc).fqdn).toBe(`${labels(hc)['drplane.io/region']}.${c.spec.routing!.recordName}`);
    }
  });

  it('seeds 002 and 004: no password, secret value or external ID literal anywhere in the plan', () => {
    const text = JSON.stringify(mrs);
    expect(text).not.toMatch(/"(masterPassword|password|secretString|secretBinary|secretStringWo|insecureValue)"\s*:/i);
    for (const m of mrs) {
      const env: Record<string, string> = fp(m)?.environment?.variables ?? {};
      for (const [k, v] of Object.entries(env)) {
        expect(k, `${externalName(m)} env`).not.toMatch(/PASSWORD|SECRET_VALUE|EXTERNAL_ID$/);
        if (k.endsWith('EXTERNAL_ID_PARAMETER')) expect(v).toMatch(/^\/drplane\/e[0-9a-f]{7}\/failover\/external-id$/);
      }
    }
    for (const value of [...text.matchAll(/sts:ExternalId\\":\\"([^\\]*)\\"/g)].map((x) => x[1]))
      expect(value).toMatch(/^<.*known after creation>$/);
    for (const r of mrs.filter((m) => m.kind === 'SecretVersion'))
      expect(Object.keys(fp(r)).sort()).toEqual(['region', 'secretIdSelector', 'secretStringSecretRef']);
  });

  it('seeds 000 and 002: a function in the VPC has an endpoint in its region for every AWS service its role lets it call', () => {
    for (const fn of mrs.filter((m) => m.kind === 'Function' && fp(m).vpcConfig !== undefined)) {
      const region: string = fp(fn).region;
      const role = component(fn).replace(/-function$/, '-policy');
      const policy = mrs.find(
        (m) => m.kind === 'RolePolicy' && component(m) === role && labels(m)['drplane.io/region'] === region,
      )!;
      // Logs leave through the Lambda service, not the function's network; KMS is called by the service named in kms:ViaService.
      const direct = JSON.parse(fp(policy).policy).Statement.filter(
        (s: any) => s.Condition?.StringEquals?.['kms:ViaService'] === undefined,
      );
      const services = new Set<string>(
        direct.flatMap((s: any) => s.Action.map((a: string) => a.split(':')[0])).filter((svc: string) => svc !== 'logs'),
      );
      if (fp(fn).environment.variables.DRPLANE_TABLE_NAME !== undefined) expect([...services]).toContain('dynamodb');
      for (const svc of services) {
        const endpoint = mrs.find((m) => m.kind === 'VPCEndpoint' && fp(m).serviceName === `com.amazonaws.${region}.${svc}`);
        expect(endpoint, `${externalName(fn)} calls ${svc} but ${region} has no ${svc} endpoint (no NAT)`).toBeDefined();
      }
    }
  });

  it('Route 53 health-check alarms live in us-east-1 only, with a topic there', () => {
    const health = mrs.filter((m) => m.kind === 'MetricAlarm' && fp(m).namespace === 'AWS/Route53');
    for (const a of health) expect(fp(a).region).toBe('us-east-1');
    if (health.length > 0) expect(mrs.some((m) => m.kind === 'Topic' && fp(m).region === 'us-east-1')).toBe(true);
    expect(health.length).toBe(mrs.filter((m) => m.kind === 'HealthCheck').length);
  });
});
