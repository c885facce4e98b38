/**
 * Provider semantics, from the provider's own source: every managed resource of every example claim and
 * of 300 generated claims is checked against what provider-upjet-aws v2.6.0 does with it
 * (test/support/provider-source.ts reads its Go files; `$DRPLANE_PROVIDER_SOURCE` moves them):
 * - the external-name annotation against the kind's external-name configuration (unset where AWS assigns
 *   the id, the bare name for templated ids, no prefix the provider strips, equal to the name parameter,
 *   every parameter the provider's id function needs);
 * - every `*Ref`/`*Selector` against the provider's resolver: it selects exactly one resource of the kind
 *   the resolver lists, and a field that asks for an ARN gets one.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { planClaim, type PlannedResource } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { validClaims } from '../support/claim-arbitrary.js';
import { repoPath } from '../support/paths.js';
import { exampleVariants } from '../support/variants.js';
import {
  copiesArn,
  externalNameProblems,
  idIsArn,
  newCounts,
  referenceProblems,
  referenceUses,
  wantsArn,
} from '../support/provider-conformance.js';
import { ProviderSource } from '../support/provider-source.js';

const source = new ProviderSource();
const counts = newCounts();
let claimsChecked = 0;

const examples = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => [f, DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', f), 'utf8')))] as const)
  .concat(exampleVariants());

/** Every problem of a plan, counted into the tally. */
function problemsOf(plan: readonly PlannedResource[]): string[] {
  claimsChecked++;
  return [...plan.flatMap((r) => externalNameProblems(r.manifest, source, counts)), ...referenceProblems(plan, source, counts)];
}

afterAll(() => {
  console.log(
    `provider semantics: ${claimsChecked} claims, ${counts.resources} managed resources of ${counts.kinds.size} kinds, ` +
      `${counts.annotations} external names and ${counts.references} references checked against ${source.dir}`,
  );
});

describe("the provider's source, as the checks read it", () => {
  it('holds every table, kind and resolver the checks need', () => {
    expect(source.tfTypes.size).toBeGreaterThan(100);
    expect(source.externalNameTable.size).toBeGreaterThan(1000);
    expect([...source.resolvers.values()].flat().length).toBeGreaterThan(1000);
    expect(source.tfType('iam.aws.upbound.io/v1beta1', 'RolePolicy')).toBe('aws_iam_role_policy');
  });

  it('reads each form of external-name configuration', () => {
    expect(source.externalName('kms.aws.upbound.io/v1beta1', 'Key')).toMatchObject({ identifier: 'provider' });
    expect(source.externalName('iam.aws.upbound.io/v1beta1', 'RolePolicy')).toMatchObject({
      identifier: 'name',
      nameParameter: 'name',
    });
    expect(source.externalName('iam.aws.upbound.io/v1beta1', 'RolePolicy').template).toContain(
      '{{ .parameters.role }}:{{ .external_name }}',
    );
    expect(source.externalName('kms.aws.upbound.io/v1beta1', 'Alias').strippedPrefixes).toEqual(['alias/']);
    expect(source.externalName('lambda.aws.upbound.io/v1beta2', 'Function')).toMatchObject({ nameParameter: 'function_name' });
    expect(source.externalName('cloudwatchevents.aws.upbound.io/v1beta1', 'Target').requiredParameters).toEqual([
      'event_bus_name',
      'rule',
      'target_id',
    ]);
  });

  it('reads what each resolver copies', () => {
    const rds = (path: string) => source.resolver('rds.aws.upbound.io/v1beta1', 'ClusterInstance', 'forProvider', path);
    expect(rds('performanceinsightskmskeyid')).toMatchObject({
      target: 'kms.aws.upbound.io/v1beta1/Key',
      copies: 'external-name',
    });
    expect(source.resolver('rds.aws.upbound.io/v1beta2', 'Cluster', 'forProvider', 'kmskeyid').copies).toBe('arn');
    expect(source.resolver('dynamodb.aws.upbound.io/v1beta2', 'Table', 'forProvider', 'replica.kmskeyarn').copies).toBe('arn');
  });

  it('fails loudly on a kind, a type or a reference it does not know', () => {
    expect(() => source.tfType('kms.aws.upbound.io/v1beta1', 'NoSuchKind')).toThrow(/NoSuchKind/);
    expect(() => source.externalName('drplane.io/v1alpha1', 'XGlobalTable')).toThrow(/XGlobalTable/);
    expect(() => source.resolver('kms.aws.upbound.io/v1beta1', 'Alias', 'forProvider', 'nosuchfield')).toThrow(/nosuchfield/);
  });
});

describe('every managed resource drplane composes', () => {
  it.each(examples)('%s: external names and references as the provider reads them', (_file, claim) => {
    expect(problemsOf(planClaim(claim))).toEqual([]);
  });

  it('of 300 generated claims: external names and references as the provider reads them', () => {
    const { claims } = validClaims(300);
    const problems = new Map<string, string>();
    for (const claim of claims) {
      // One message per distinct problem (names differ per claim), with the claim that showed it first.
      for (const p of problemsOf(planClaim(claim))) problems.set(p.replace(/"[^"]*"/g, '"…"'), `${claim.metadata.name}: ${p}`);
    }
    expect([...problems.values()]).toEqual([]);
  }, 300_000);
});

describe('ARC references resolve to ARNs (audit arc-rpo L1)', () => {
  const ARC_GROUP = 'route53recoverycontrolconfig.aws.upbound.io';
  const variants = exampleVariants().filter(([name]) => name.includes('routing.control arc'));

  it.each(variants)('%s: every ARC field that wants an ARN selects a resource whose ARN the provider copies', (_name, claim) => {
    const plan = planClaim(claim);
    const arc = plan.filter((r) => r.manifest.apiVersion.startsWith(ARC_GROUP));
    const uses = arc.flatMap((r) => referenceUses(r.manifest, source).map((u) => ({ kind: r.manifest.kind, ...u })));
    const fields = [...new Set(uses.map((u) => `${u.kind}.${u.field}`))].sort();
    const shared = claim.spec.routing?.arc?.clusterArn;
    expect(fields).toEqual(
      [
        ...(shared ? [] : ['ControlPanel.clusterArn', 'RoutingControl.clusterArn']),
        'RoutingControl.controlPanelArn',
        'SafetyRule.assertedControls',
        'SafetyRule.controlPanelArn',
        'SafetyRule.gatingControls',
        'SafetyRule.targetControls',
      ].sort(),
    );
    // ARC takes ARNs in every one of them (the control lists too, whose descriptions do not say so and which
    // wantsArn therefore does not flag: the ARC API examples of create-safety-rule list routing control ARNs).
    for (const u of uses)
      expect(copiesArn(u, source), `${u.kind}.${u.field} copies ${u.rule.copies} of ${u.rule.target}`).toBe(true);
    expect(referenceProblems(plan, source)).toEqual([]);
    // A shared cluster is named by its ARN, as the claim gives it, on the panel and every control.
    const literal = arc.filter((r) => ['ControlPanel', 'RoutingControl'].includes(r.manifest.kind));
    for (const r of literal) {
      const fp = (r.manifest.spec as { forProvider: Record<string, unknown> }).forProvider;
      expect(fp.clusterArn).toBe(shared);
    }
  });

  it('the ARN test can fail: a KMS key reference copies the key id, not an ARN', () => {
    const payments = planClaim(examples.find(([f]) => f === 'payments.yaml')![1]);
    const kms = payments
      .flatMap((r) => referenceUses(r.manifest, source))
      .find((u) => u.rule.target.endsWith('/Key') && u.rule.copies === 'external-name');
    expect(kms, 'a reference that copies a KMS key id').toBeDefined();
    expect(copiesArn(kms!, source)).toBe(false);
  });

  it('a shared cluster is imported by its ARN: an Observe-only Cluster without one, or with another id, is refused', () => {
    const plan = planClaim(variants.find(([, c]) => c.spec.routing?.arc?.clusterArn !== undefined)![1]);
    const view = plan.find((r) => r.manifest.kind === 'Cluster' && r.manifest.apiVersion.startsWith(ARC_GROUP))!.manifest;
    expect(externalNameProblems(view, source)).toEqual([]);
    const named = (name: string) => ({
      ...view,
      metadata: { ...view.metadata, annotations: { 'crossplane.io/external-name': name } },
    });
    expect(externalNameProblems(named('5678abcd'), source)).toEqual([expect.stringMatching(/is not an ARN/)]);
    expect(externalNameProblems({ ...view, metadata: { ...view.metadata, annotations: {} } }, source)).toEqual([
      expect.stringMatching(/nothing to import/),
    ]);
  });

  it('covers both an estate with its own cluster and one on a shared cluster', () => {
    expect(new Set(variants.map(([, c]) => c.spec.routing?.arc?.clusterArn === undefined))).toEqual(new Set([false, true]));
  });
});

describe('the checks catch what they forbid', () => {
  const plan = planClaim(examples.find(([f]) => f === 'payments.yaml')![1]);
  const first = (kind: string) => plan.find((r) => r.manifest.kind === kind)!;
  const withManifest = (r: PlannedResource, edit: (m: any) => void): PlannedResource => {
    const manifest = structuredClone(r.manifest) as Manifest;
    edit(manifest);
    return { ...r, manifest };
  };
  const annotate = (name: string) => (m: any) =>
    (m.metadata.annotations = { ...m.metadata.annotations, 'crossplane.io/external-name': name });

  it('an inline policy named <role>:<name>, an alias with alias/, a name on a provider-assigned id', () => {
    expect(
      externalNameProblems(withManifest(first('RolePolicy'), annotate('payments-service:service')).manifest, source),
    ).toEqual([expect.stringMatching(/holds ":": it is the bare name/)]);
    expect(externalNameProblems(withManifest(first('Alias'), annotate('alias/payments')).manifest, source)).toEqual([
      expect.stringMatching(/starts with "alias\/"/),
    ]);
    expect(externalNameProblems(withManifest(first('Key'), annotate('my-key')).manifest, source)).toEqual([
      expect.stringMatching(/AWS assigns this id/),
    ]);
  });

  it('a Rule or Target without the event bus its id is built from', () => {
    const rule = withManifest(first('Rule'), (m) => delete m.spec.forProvider.eventBusName);
    expect(externalNameProblems(rule.manifest, source)).toEqual([expect.stringMatching(/event_bus_name cannot be empty/)]);
  });

  it('a name parameter that disagrees with the external name', () => {
    const fn = withManifest(first('Function'), (m) => (m.spec.forProvider.functionName = 'another-name'));
    expect(externalNameProblems(fn.manifest, source)).toEqual([expect.stringMatching(/differs from the external name/)]);
  });

  it('a key id fed into an ARN field, a selector that matches nothing or too much', () => {
    const instance = first('ClusterInstance');
    const selector = { matchControllerRef: true, matchLabels: { 'drplane.io/component': 'kms-database' } };
    const keyId = withManifest(instance, (m) => {
      delete m.spec.forProvider.performanceInsightsKmsKeyId;
      m.spec.forProvider.performanceInsightsKmsKeyIdSelector = selector;
    });
    expect(referenceProblems([...plan.filter((r) => r !== instance), keyId], source)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/performanceInsightsKmsKeyId: the field wants an ARN .* copies the external-name of the Key/),
      ]),
    );
    const nothing = withManifest(
      first('Subnet'),
      (m) => (m.spec.forProvider.vpcIdSelector = { matchLabels: { 'drplane.io/component': 'none' } }),
    );
    expect(referenceProblems([...plan.filter((r) => r !== first('Subnet')), nothing], source)).toEqual([
      expect.stringMatching(/matches no VPC of the plan/),
    ]);
    const many = withManifest(
      first('Subnet'),
      (m) => (m.spec.forProvider.vpcIdSelector = { matchLabels: { 'drplane.io/component': 'vpc' } }),
    );
    expect(referenceProblems([...plan.filter((r) => r !== first('Subnet')), many], source)).toEqual([
      expect.stringMatching(/matches 2 VPCs/),
    ]);
  });

  it('knows a kind whose external name is its ARN (its Terraform id, as the CRD describes atProvider.id) from one whose is an id', () => {
    // CertificateValidation.certificateArn resolves to the Certificate's external name: the certificate's ARN.
    expect(idIsArn('acm.aws.upbound.io/v1beta2', 'Certificate')).toBe(true);
    expect(idIsArn('kms.aws.upbound.io/v1beta1', 'Key')).toBe(false);
    expect(idIsArn('apigatewayv2.aws.upbound.io/v1beta2', 'API')).toBe(false);
  });

  it("reads an ARN id from the external-name table's comment where the CRD leaves atProvider.id undescribed", () => {
    // "Imported using ARN that has a random substring: arn:aws:route53-recovery-control::…:cluster/…"
    expect(idIsArn('route53recoverycontrolconfig.aws.upbound.io/v1beta1', 'Cluster')).toBe(false);
    expect(source.importedAsArn('route53recoverycontrolconfig.aws.upbound.io/v1beta1', 'Cluster')).toBe(true);
    expect(source.importedAsArn('route53recoverycontrolconfig.aws.upbound.io/v1beta1', 'ControlPanel')).toBe(true);
    expect(source.importedAsArn('route53recoverycontrolconfig.aws.upbound.io/v1beta1', 'RoutingControl')).toBe(true);
    expect(source.importedAsArn('kms.aws.upbound.io/v1beta1', 'Key')).toBe(false);
    expect(source.importedAsArn('route53.aws.upbound.io/v1beta1', 'HealthCheck')).toBe(false);
  });

  it('tells an ARN field from one that takes a name or an id', () => {
    expect(wantsArn('kmsKeyArn', '')).toBe(true);
    expect(wantsArn('performanceInsightsKmsKeyId', 'ARN for the KMS key to encrypt Performance Insights data.')).toBe(true);
    expect(wantsArn('kmsKeyId', 'ARN or Id of the AWS KMS key to be used to encrypt the secret values.')).toBe(false);
    expect(wantsArn('functionName', 'Name or ARN of the Lambda function.')).toBe(false);
    expect(
      wantsArn('bucket', 'Name of the bucket to put the file in. Alternatively, an S3 access point ARN can be specified.'),
    ).toBe(false);
  });
});
