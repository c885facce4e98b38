/**
 * Every claim in claims/ through the real `crossplane composition render` (Development runtime,
 * our function as a process), nested composites rendered with their own compositions. The output
 * is compared with the committed goldens (UPDATE_GOLDEN=1 rewrites them: a changed golden is a
 * reviewed change), validated with `crossplane resource validate` against ../shared/crds, and
 * compared with `drctl plan`'s compose output: the plan is the promise, the render the proof.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { PRIMITIVE_APIS } from '../../src/primitives/kinds.js';
import { compositeOf, planClaim, RESOURCE_NAME } from '../../src/compose/plan.js';
import type { LambdaArtifacts } from '../../src/compose/types.js';
import { LAMBDA_DIR_ENV, loadLambdaArtifacts } from '../../src/function/artifacts.js';
import { describeWithCrossplane, formatFailures, validateResources } from '../support/crossplane.js';
import { suiteTempDir } from '../support/files.js';
import { providerCrdsDir, repoPath } from '../support/paths.js';
import { render, startFunctionProcess, type FunctionProcess } from '../support/render.js';

const claimFiles = readdirSync(repoPath('examples')).filter((f) => f.endsWith('.yaml')).sort();
const composition = (plural: string) => repoPath('compositions', 'apis', plural, 'composition.yaml');
/** Plural of every primitive's composite kind, from the registry's APIs (src/primitives/kinds.ts). */
const PLURAL: Record<string, string> = Object.fromEntries(Object.values(PRIMITIVE_APIS).map((a) => [a.kind, a.plural]));
/**
 * Resources that wait for observed state: in the plan (the steady state), not in a first render,
 * which observes nothing. Each with what it waits for.
 */
const GATED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^bucket-[a-z0-9-]+-replication(-role|-policy|-[a-z]{2}-[a-z]+-[0-9])?$/, 'key ARNs and versioning on every side'],
  [/^(service|lag-monitor|failover)-policy-[a-z0-9-]+$/, 'the account id (from the observed role ARN) and the ARNs it names'],
  [/^(service|lag-monitor|failover)-function-[a-z0-9-]+$/, 'its code object Ready (and the values its environment carries)'],
  [/^service-url-(invoke-)?permission-[a-z0-9-]+$/, 'the account id, for an AWS_IAM Function URL'],
  [/^service-api-permission-[a-z0-9-]+$/, "the HTTP API's execution ARN"],
  [
    /^(health-check-[a-z0-9-]+|record-[a-z0-9-]+)$/,
    "the database endpoints from other primitives, the custom domains' targets (alias records) and the regional names' records (health checks)",
  ],
  [/^certificate-validation-record-[a-z0-9-]+$/, "the DNS validation records ACM reports in the certificate's status"],
  [/^(domain-name|api-mapping)-[a-z]{2}-[a-z]+-[0-9](-regional)?$/, "the certificate's validation Ready (API Gateway takes issued certificates only)"],
  [/^(alarm-[a-z0-9-]+|estate-at-risk)$/, "the alert topic ARN of the alarm's region (and its member alarms)"],
  [/^dashboard$/, 'the health check ids from XFailoverRouting'],
  [/^(lag-monitor-target(-[a-z0-9-]+)?|lag-monitor-schedule-permission(-[a-z0-9-]+)?)$/, 'the function or rule ARN'],
  [/^backup-(plan|selection)$/, 'the ARNs of the copy-destination vaults'],
  [/^aurora-instance-[a-z0-9-]+$/, "the database key's ARN, for Performance Insights"],
  [/^usage-cluster-[a-z0-9-]+-by-instance-[0-9]+$/, 'the instance it holds the cluster for'],
  [/^failover-(operations-role|operations-policy|external-id-[a-z0-9-]+|invocation-[a-z0-9-]+)$/, "observed role ARNs, the composite uid, each region's observed failover key ARN and the orchestrator"],
  [/^failover-workflow-(policy-)?[a-z]{2}-[a-z]+-[0-9]$/, "the orchestrator's ARN and the account"],
  [/^failover-workflow-role-[a-z]{2}-[a-z]+-[0-9]$/, 'the account (its trust names it: aws:SourceAccount, aws:SourceArn)'],
  [/^eks-(cluster|cluster-role-kms)-[a-z]{2}-[a-z]+-[0-9]$/, "the region's cluster key ARN (secrets encryption)"],
  [
    /^eks-(cni-role-[a-z]{2}-[a-z]+-[0-9](-amazoneks-cni-policy)?|pod-identity-cni-[a-z]{2}-[a-z]+-[0-9])$/,
    'the account (the CNI role trust names the cluster ARN in aws:RequestTag/eks-cluster-arn, with kubernetes-namespace and kubernetes-service-account)',
  ],
  [/^eks-(nodes|addon-coredns)-[a-z]{2}-[a-z]+-[0-9]$/, "the VPC CNI's add-on, the Pod Identity Agent and the aws-node association Ready"],
  [/^usage-eks-[a-z]{2}-[a-z]+-[0-9]-[a-z0-9-]+$/, 'the cluster (its key ARN) or the node group (the VPC CNI Ready) it names'],
  [/^peering-[a-z0-9-]+-options-(requester|accepter)$/, 'the peering accepter Ready (AWS sets options on an active connection only)'],
  [/^node-health(-target)?-[a-z]{2}-[a-z]+-[0-9]$/, "the node group's Auto Scaling group (observed by XRegionalCluster) and the region's alert topic ARN"],
  [
    /^failover-(probe|probe-target|probe-errors|signal|armed|checkers|maintenance|maintenance-stuck|rpo-guard|trigger-alarm|trigger|trigger-target|trigger-undelivered|probe-permission|trigger-permission)-[a-z]{2}-[a-z]+-[0-9]$/,
    "the standby's orchestrator, alert topic and member alarms",
  ],
];
const gated = (key: string) => GATED.some(([re]) => re.test(key));
/**
 * Fields a rendered resource gets only after creation: the render has the resource without them.
 * The monitoring keys and the Lambda keys are created with the default key policy; their own observed ARN
 * (the account id) then gives them the policy that lets CloudWatch publish to encrypted topics, or CloudWatch
 * Logs encrypt the function's log group.
 */
const CONVERGING: ReadonlyArray<readonly [RegExp, string]> = [
  [/^kms-(monitoring|service|lag-monitor|failover|cluster)-[a-z]{2}-[a-z]+-[0-9]$/, 'policy'],
  // With a node-health rule, the alert topic's policy admits it: it names the account and the topic's own ARN.
  [/^alerts-topic-[a-z]{2}-[a-z]+-[0-9]$/, 'policy'],
  // The on-failure destination is the region's alert topic, whose ARN monitoring reports after creation.
  [/^failover-invoke-config-[a-z]{2}-[a-z]+-[0-9]$/, 'destinationConfig'],
];
const withoutConverging = (key: string, spec: Record<string, any>) => {
  const fields = CONVERGING.filter(([re]) => re.test(key)).map(([, f]) => f);
  if (fields.length === 0) return spec;
  return { ...spec, forProvider: Object.fromEntries(Object.entries(spec.forProvider).filter(([k]) => !fields.includes(k))) };
};
/** Stand-ins for the Lambda zips, so goldens do not change with every build of lambda/ (the render and the plan load the same ones). */
let artifacts: LambdaArtifacts;

type Doc = Record<string, any>;
const rendered = new Map<string, { docs: Doc[]; byParent: Map<string, Doc[]> }>();
let fn: FunctionProcess;
let dir: string;

describeWithCrossplane('crossplane composition render of every claim', () => {
  beforeAll(async () => {
    dir = suiteTempDir('drplane-render-');
    const lambdaDir = join(dir, 'lambda');
    mkdirSync(lambdaDir, { recursive: true });
    for (const name of ['failover', 'lag-monitor', 'service']) writeFileSync(join(lambdaDir, `${name}.zip`), `stand-in for dist/lambda/${name}.zip in the golden renders\n`);
    artifacts = loadLambdaArtifacts(lambdaDir).artifacts;
    process.env[LAMBDA_DIR_ENV] = lambdaDir;
    fn = await startFunctionProcess(dir);
    for (const file of claimFiles) {
      const raw = parse(readFileSync(repoPath('examples', file), 'utf8'));
      const claim = DisasterRecoveryClaimSchema.parse(raw);
      const xr = { ...compositeOf(claim), spec: raw.spec };
      const name = basename(file, '.yaml');
      const top = await render(xr, composition('xdisasterrecoveries'), fn, dir, name);
      const byParent = new Map<string, Doc[]>();
      for (const nested of top.slice(1)) {
        const key = nested.metadata.annotations[RESOURCE_NAME] as string;
        const out = await render(nested, composition(PLURAL[nested.kind]!), fn, dir, `${name}-${key}`);
        byParent.set(key, out);
      }
      rendered.set(file, { docs: [...top, ...[...byParent.values()].flat()], byParent });
    }
  }, 600_000);

  afterAll(async () => fn?.stop());

  /** The cluster of examples/kubernetes.yaml once each region's cluster key is observed with its ARN. */
  const OBSERVED_KEYS = 'kubernetes-observed-keys.yaml';
  it(`${OBSERVED_KEYS}: with the cluster keys and the CNI's prerequisites observed, each region's Cluster and NodeGroup are rendered as its golden`, async () => {
    const nested = rendered.get('kubernetes.yaml')!.docs.find((d) => d.kind === 'XRegionalCluster')!;
    expect(nested, 'examples/kubernetes.yaml composes an XRegionalCluster').toBeDefined();
    const regions: string[] = [nested.spec.regions.primary, ...nested.spec.regions.secondaries];
    const observed = regions.map((r) => ({
      apiVersion: 'kms.aws.upbound.io/v1beta1',
      kind: 'Key',
      metadata: { name: `observed-kms-cluster-${r}`, annotations: { [RESOURCE_NAME]: `kms-cluster-${r}` } },
      spec: { forProvider: { region: r } },
      status: {
        atProvider: { arn: `arn:aws:kms:${r}:111122223333:key/0000aaaa-bbbb-cccc-dddd-${r.replace(/-/g, '').padEnd(12, '0').slice(0, 12)}` },
        conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }],
      },
    }));
    // ... and what the node group waits for, Ready: the VPC CNI and Pod Identity Agent add-ons and the aws-node association.
    const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }] };
    const prerequisites = regions.flatMap((r) =>
      [
        ['Addon', `eks-addon-vpc-cni-${r}`],
        ['Addon', `eks-addon-eks-pod-identity-agent-${r}`],
        ['PodIdentityAssociation', `eks-pod-identity-cni-${r}`],
      ].map(([kind, key]) => ({
        apiVersion: 'eks.aws.upbound.io/v1beta1',
        kind,
        metadata: { name: `observed-${key}`, annotations: { [RESOURCE_NAME]: key } },
        spec: { forProvider: { region: r } },
        status: ready,
      })),
    );
    const docs = await render(nested, composition('xregionalclusters'), fn, dir, 'kubernetes-observed-keys', [...observed, ...prerequisites]);
    const clusters = docs.filter((d) => d.kind === 'Cluster' && d.apiVersion.startsWith('eks.'));
    expect(clusters.map((c) => c.spec.forProvider.region).sort()).toEqual([...regions].sort());
    const groups = docs.filter((d) => d.kind === 'NodeGroup');
    expect(groups.map((g) => g.spec.initProvider.scalingConfig.desiredSize).sort()).toEqual([0, 2]);
    for (const c of clusters) {
      expect(c.spec.forProvider.encryptionConfig.provider.keyArn).toMatch(new RegExp(`^arn:aws:kms:${c.spec.forProvider.region}:111122223333:key/`));
      expect(c.spec.forProvider.vpcConfig.securityGroupIdSelector.matchLabels['drplane.io/component']).toBe('sg-eks-api');
    }
    rendered.set(OBSERVED_KEYS, { docs: docs.slice(1), byParent: new Map() });
    const text = docs.map((d) => stringify(d, { lineWidth: 0, version: '1.1' })).join('---\n');
    const golden = join(repoPath('test', 'golden'), OBSERVED_KEYS);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden and review it`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  }, 120_000);

  /**
   * The monitoring of examples/kubernetes.yaml once each region's node group reports its Auto Scaling group (the estate
   * passes it as nodeGroupAutoScalingGroups) and the alert topics and monitoring keys are observed: the node-group
   * launch-failure alert (an EventBridge rule on the default bus, its target the region's alert topic) is rendered.
   */
  const NODE_HEALTH = 'kubernetes-node-health.yaml';
  it(`${NODE_HEALTH}: with the node groups' Auto Scaling groups known and the alert topics observed, each region's launch-failure rule targets its alert topic`, async () => {
    const nested = rendered.get('kubernetes.yaml')!.docs.find((d) => d.kind === 'XDRMonitoring')!;
    expect(nested, 'examples/kubernetes.yaml composes an XDRMonitoring').toBeDefined();
    const regions: string[] = [nested.spec.regions.primary, ...nested.spec.regions.secondaries];
    const account = '111122223333';
    // EKS names a managed node group's Auto Scaling group eks-<node group>-<uuid>.
    const groups = Object.fromEntries(regions.map((r, i) => [r, `eks-containers-nodes-${r}-0000aaaa-bbbb-cccc-dddd-00000000000${i}`]));
    const ready = { conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }] };
    const topicArn = (r: string) => `arn:aws:sns:${r}:${account}:alerts-${r}`;
    const observed = regions.flatMap((r) => [
      {
        apiVersion: 'kms.aws.upbound.io/v1beta1',
        kind: 'Key',
        metadata: { name: `observed-kms-monitoring-${r}`, annotations: { [RESOURCE_NAME]: `kms-monitoring-${r}` } },
        spec: { forProvider: { region: r } },
        status: { atProvider: { arn: `arn:aws:kms:${r}:${account}:key/0000aaaa-bbbb-cccc-dddd-000000000001` }, ...ready },
      },
      {
        apiVersion: 'sns.aws.upbound.io/v1beta1',
        kind: 'Topic',
        metadata: { name: `observed-alerts-topic-${r}`, annotations: { [RESOURCE_NAME]: `alerts-topic-${r}` } },
        spec: { forProvider: { region: r } },
        status: { atProvider: { arn: topicArn(r) }, ...ready },
      },
    ]);
    const xr = { ...nested, spec: { ...nested.spec, nodeGroupAutoScalingGroups: groups } };
    const docs = await render(xr, composition('xdrmonitorings'), fn, dir, 'kubernetes-node-health', observed);
    const rules = docs.filter((d) => d.kind === 'Rule' && d.metadata.annotations[RESOURCE_NAME].startsWith('node-health-'));
    expect(rules.map((d) => d.spec.forProvider.region).sort()).toEqual([...regions].sort());
    for (const rule of rules) {
      const r = rule.spec.forProvider.region as string;
      expect(JSON.parse(rule.spec.forProvider.eventPattern)).toEqual({
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance Launch Unsuccessful'],
        detail: { AutoScalingGroupName: [groups[r]] },
      });
      const target = docs.find((d) => d.metadata.annotations[RESOURCE_NAME] === `node-health-target-${r}`)!;
      expect(target.spec.forProvider.arn).toBe(topicArn(r));
      const topic = docs.find((d) => d.metadata.annotations[RESOURCE_NAME] === `alerts-topic-${r}`)!;
      expect(JSON.stringify(JSON.parse(topic.spec.forProvider.policy))).toContain('events.amazonaws.com');
    }
    rendered.set(NODE_HEALTH, { docs: docs.slice(1), byParent: new Map() });
    const text = docs.map((d) => stringify(d, { lineWidth: 0, version: '1.1' })).join('---\n');
    const golden = join(repoPath('test', 'golden'), NODE_HEALTH);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden and review it`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  }, 120_000);

  it.each(claimFiles)('%s matches its golden', (file) => {
    const text = rendered.get(file)!.docs.map((d) => stringify(d, { lineWidth: 0, version: '1.1' })).join('---\n');
    const golden = join(repoPath('test', 'golden'), file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
    expect(existsSync(golden), `${golden} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden and review it`).toBe(true);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(claimFiles)('%s: every rendered managed resource equals the plan', (file) => {
    const claim = DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', file), 'utf8')));
    const plan = planClaim(claim, undefined, { artifacts });
    const { byParent } = rendered.get(file)!;
    let compared = 0;
    for (const [parentKey, docs] of byParent) {
      const planned = plan.filter((p) => p.parent === `XDisasterRecovery/${parentKey}`);
      const renderedMrs = docs.slice(1);
      for (const mr of renderedMrs) {
        const key = mr.metadata.annotations[RESOURCE_NAME];
        const promise = planned.find((p) => p.key === key);
        expect(promise, `${parentKey}/${key} is in the plan`).toBeDefined();
        expect(mr.spec, `${parentKey}/${key}`).toEqual(withoutConverging(key, promise!.manifest.spec as Record<string, any>));
        compared++;
      }
      const renderedKeys = new Set(renderedMrs.map((m) => m.metadata.annotations[RESOURCE_NAME]));
      const planOnly = planned.filter((p) => !renderedKeys.has(p.key)).map((p) => p.key);
      for (const key of planOnly) expect(gated(key), `${parentKey}/${key} is only in the plan but waits for nothing`).toBe(true);
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('every rendered resource passes crossplane resource validate against ../shared/crds with zero errors', async () => {
    const docs = [...rendered.values()].flatMap((r) => r.docs);
    // render reports a legacy XR's resource references under spec.crossplane (the Crossplane 2 layout);
    // the API server keeps them at spec.resourceRefs for LegacyCluster XRs, so that one render artefact is dropped.
    const checked = docs.map((d) => (d.apiVersion.startsWith('drplane.io/') ? { ...d, spec: Object.fromEntries(Object.entries(d.spec).filter(([k]) => k !== 'crossplane')) } : d));
    const definitions = Object.values(PLURAL).concat('xdisasterrecoveries').map((p) => repoPath('compositions', 'apis', p, 'definition.yaml'));
    const report = await validateResources([providerCrdsDir(), ...definitions], { yaml: checked.map((d) => stringify(d, { version: '1.1' })).join('---\n') });
    expect(formatFailures(report)).toBe('');
    expect(report.resources.length).toBe(checked.length);
  }, 300_000);
});
