import { describe, expect, it } from 'vitest';
import { NAME_RULES } from '../../src/compose/naming.js';
import { FULL_SPEC, externalName, fp, labels, managed, plan, spec } from './helpers.js';

const all = plan(FULL_SPEC);
const mrs = managed(all);
/** Kinds that are global in AWS (IAM) or Crossplane objects: no region field. */
const GLOBAL_KINDS = new Set(['Role', 'RolePolicy', 'ClusterUsage']);
/** Kinds whose CRD has no tags field. */
const UNTAGGED = new Set([
  'Alias', 'RouteTableAssociation', 'Route', 'RolePolicy', 'ClusterUsage', 'BucketVersioning',
  'BucketServerSideEncryptionConfiguration', 'BucketPublicAccessBlock', 'BucketOwnershipControls', 'BucketLifecycleConfiguration',
  'BucketReplicationConfiguration', 'VPCEndpointRouteTableAssociation', 'VPCEndpointSubnetAssociation', 'VPCEndpointSecurityGroupAssociation',
]);

describe('every managed resource', () => {
  it('names its region, except global kinds', () => {
    for (const m of mrs) {
      if (GLOBAL_KINDS.has(m.kind)) expect(m.spec && (m.spec as any).forProvider?.region).toBeUndefined();
      else expect(fp(m).region, `${m.kind} ${JSON.stringify(labels(m))}`).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
  });

  it('carries Environment, ManagedBy, the claim and the claim tags where the kind takes tags', () => {
    for (const m of mrs.filter((x) => !UNTAGGED.has(x.kind))) {
      expect(fp(m).tags, m.kind).toMatchObject({ Environment: 'prod', ManagedBy: 'drplane', 'drplane:claim': 'payments', 'drplane:namespace': 'team-payments', CostCenter: 'Operations' });
    }
  });

  it('is labelled with the estate, its component and its region, so selectors find it', () => {
    for (const m of mrs) {
      expect(labels(m)['drplane.io/estate']).toMatch(/^e[0-9a-f]{7}$/);
      expect(labels(m)['drplane.io/component']).toBeTruthy();
      if (!GLOBAL_KINDS.has(m.kind)) expect(labels(m)['drplane.io/region']).toBe(fp(m).region);
    }
  });

  it('references other resources by selector, never by an ARN or id copied in', () => {
    const text = JSON.stringify(mrs);
    expect(text).not.toMatch(/"(vpcId|subnetId|routeTableId|securityGroupId|kmsKeyId|kmsKeyArn|vpcEndpointId|vpcPeeringConnectionId|clusterIdentifier)"\s*:/);
  });

  it('has deterministic external names that fit their service rules, with the environment suffix', () => {
    const rules: Record<string, (typeof NAME_RULES)[keyof typeof NAME_RULES]> = {
      Bucket: NAME_RULES.s3Bucket, Cluster: NAME_RULES.rdsIdentifier, ClusterInstance: NAME_RULES.rdsIdentifier, GlobalCluster: NAME_RULES.rdsIdentifier,
      Table: NAME_RULES.dynamodbTable, Role: NAME_RULES.iamRole, SubnetGroup: NAME_RULES.subnetGroup,
    };
    for (const m of mrs) {
      const rule = rules[m.kind];
      if (!rule) continue;
      const name = externalName(m);
      expect(name, m.kind).toBeDefined();
      expect(name!.length).toBeLessThanOrEqual(rule.max);
      expect(name).toMatch(rule.pattern);
      expect(name).toContain('-prod');
    }
  });

  it('grants no wildcard IAM action or resource', () => {
    for (const m of mrs.filter((x) => x.kind === 'RolePolicy')) {
      for (const s of JSON.parse(fp(m).policy).Statement) {
        expect(s.Action).not.toContain('*');
        expect(s.Resource).not.toContain('*');
      }
    }
  });

  it('encrypts every data store with a customer-managed, rotated key', () => {
    for (const k of mrs.filter((m) => m.kind === 'Key')) expect(fp(k).enableKeyRotation).toBe(true);
    expect(mrs.filter((m) => m.kind === 'Key').length).toBe(9);
  });
});

describe('the estate composite', () => {
  it('creates one nested primitive per section, table and bucket, passing the estate context', () => {
    const nested = all.filter((r) => r.manifest.apiVersion === 'drplane.io/v1alpha1');
    expect(nested.map((n) => `${n.key}:${n.manifest.kind}`)).toEqual([
      'network:XDRNetwork',
      'database:XGlobalDatabase',
      'table-transactions:XGlobalTable',
      'bucket-documents:XReplicatedBucket',
    ]);
    for (const n of nested) {
      expect(spec(n.manifest)).toMatchObject({
        owner: { name: 'payments', namespace: 'team-payments' },
        environment: 'prod',
        profile: 'production',
        regions: FULL_SPEC.regions,
        tags: FULL_SPEC.tags,
        objectives: FULL_SPEC.objectives,
      });
    }
  });

  it('renders byte-identical output 100 times', () => {
    const first = JSON.stringify(plan(FULL_SPEC));
    for (let i = 0; i < 100; i++) expect(JSON.stringify(plan(FULL_SPEC))).toBe(first);
  });

  it('omits sections that are not in the claim', () => {
    const minimal = plan({ environment: 'dev', profile: 'test', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] }, tables: [{ name: 'items', hashKey: { name: 'id' } }] });
    expect(new Set(minimal.map((r) => r.manifest.kind))).toEqual(new Set(['XGlobalTable', 'Key', 'Alias', 'Table']));
  });
});
