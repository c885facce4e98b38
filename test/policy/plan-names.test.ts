/**
 * The name rules read the names of the plan: what `drctl plan` renders is what `drctl validate` checks, in every
 * section, with the claim field each name comes from. Checked against the rendered manifests themselves, not against
 * what compose says beside them.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { type DisasterRecoveryClaim, DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { NAME_RULES } from '../../src/compose/naming.js';
import { planClaim } from '../../src/compose/plan.js';
import type { Manifest } from '../../src/compose/types.js';
import { estateNames } from '../../src/policy/estate-names.js';
import { invalidNamesRule, shortenedNamesRule } from '../../src/policy/rules/names.js';
import { policyContext } from '../../src/policy/types.js';
import { repoPath } from '../support/paths.js';

const EXAMPLES = [
  'payments.yaml',
  'three-region.yaml',
  'seed-004-financial-transactions.yaml',
  'minimal.yaml',
  'kubernetes.yaml',
  'seed-000-dr-operations.yaml',
];

/** AWS resource types whose name drplane chooses (the provider's CRDs: external name or spec.forProvider.name). */
const NAMED = new Set([
  'backup.aws.upbound.io/Plan',
  'backup.aws.upbound.io/Selection',
  'backup.aws.upbound.io/Vault',
  'cloudwatch.aws.upbound.io/CompositeAlarm',
  'cloudwatch.aws.upbound.io/Dashboard',
  'cloudwatch.aws.upbound.io/MetricAlarm',
  'cloudwatchevents.aws.upbound.io/Rule',
  'dynamodb.aws.upbound.io/Table',
  'eks.aws.upbound.io/Cluster',
  'eks.aws.upbound.io/NodeGroup',
  'iam.aws.upbound.io/Role',
  'kms.aws.upbound.io/Alias',
  'lambda.aws.upbound.io/Function',
  'rds.aws.upbound.io/Cluster',
  'rds.aws.upbound.io/ClusterInstance',
  'rds.aws.upbound.io/GlobalCluster',
  'rds.aws.upbound.io/SubnetGroup',
  's3.aws.upbound.io/Bucket',
  'sfn.aws.upbound.io/StateMachine',
  'sns.aws.upbound.io/Topic',
]);

function example(file: string, name?: string): DisasterRecoveryClaim {
  const doc = parse(readFileSync(repoPath('examples', file), 'utf8')) as { metadata: { name: string } };
  if (name !== undefined) doc.metadata.name = name;
  return DisasterRecoveryClaimSchema.parse(doc);
}

/** The claim field a top-level composite key of the estate comes from, from the claim itself. */
function fieldOf(claim: DisasterRecoveryClaim, key: string): string {
  const table = (claim.spec.tables ?? []).findIndex((t) => `table-${t.name}` === key);
  if (table >= 0) return `spec.tables[${table}]`;
  const bucket = (claim.spec.buckets ?? []).findIndex((b) => `bucket-${b.name}` === key);
  if (bucket >= 0) return `spec.buckets[${bucket}]`;
  return `spec.${key}`;
}

/** The AWS name of a rendered manifest of a named type (a KMS alias with its alias/), or undefined. */
function renderedName(m: Manifest): string | undefined {
  if (!NAMED.has(`${m.apiVersion.split('/')[0]}/${m.kind}`)) return undefined;
  const external = (m.metadata as { annotations?: Record<string, string> }).annotations?.['crossplane.io/external-name'];
  const name = external ?? (m.spec as { forProvider?: { name?: string } }).forProvider?.name;
  return name === undefined ? undefined : m.kind === 'Alias' ? `alias/${name}` : name;
}

const ctxOf = (claim: DisasterRecoveryClaim) =>
  policyContext({ claim: { name: claim.metadata.name, namespace: claim.metadata.namespace } });

describe('the name rules check the names of the plan', () => {
  it.each(EXAMPLES)('%s: every name the plan renders for a named AWS type is checked, with its claim field', (file) => {
    const claim = example(file);
    // Name and claim field together: two sections can give two resources the same name (seed-000's table
    // dr-operations and its DR-operations role).
    const checked = new Set(
      estateNames(claim.spec, ctxOf(claim).claim).map(
        (n) => `${n.path}: ${n.kind === 'kmsAlias' ? `alias/${n.name.value}` : n.name.value}`,
      ),
    );
    const rendered = planClaim(claim).flatMap((p) => {
      const name = renderedName(p.manifest);
      return name === undefined ? [] : [{ name, field: fieldOf(claim, p.parent.split('/')[1]!) }];
    });
    expect(rendered.length).toBeGreaterThan(0);
    expect(rendered.map((r) => `${r.field}: ${r.name}`).filter((r) => !checked.has(r))).toEqual([]);
  });

  it('reports a name the plan shortens in a section only compose names (the EKS node group) at its claim field', () => {
    // 40 characters, the most metadata.name allows: <name>-nodes-dev-usw2-<estate id> is 66 > 63 (eksNodegroup).
    const claim = example('kubernetes.yaml', 'containers-of-the-platform-team-payments');
    const groups = planClaim(claim).filter((p) => p.manifest.kind === 'NodeGroup');
    expect(groups).toHaveLength(2);
    const warnings = shortenedNamesRule.check(claim.spec, ctxOf(claim)).filter((p) => p.message.includes('EKS node group'));
    expect(warnings.map((p) => p.path)).toEqual(['spec.kubernetes']);
    const first = renderedName(groups[0]!.manifest)!;
    expect(first.length).toBeLessThanOrEqual(NAME_RULES.eksNodegroup.max);
    expect(warnings[0]!.message).toContain(`becomes "${first}"`);
    expect(warnings[0]!.message).toContain(`"${claim.metadata.name}-nodes-dev-use1-`);
    expect(warnings[0]!.message).toContain('in us-east-1, us-west-2');
    expect(warnings[0]!.message).toContain('shorten metadata.name or spec.environment');
  });

  it("refuses a composed name that breaks its service's pattern at the claim field, quoting the plan's name", () => {
    const claim = example('payments.yaml', 'pay--ments');
    const global = planClaim(claim).find((p) => p.manifest.kind === 'GlobalCluster')!;
    const errors = invalidNamesRule.check(claim.spec, ctxOf(claim));
    const aurora = errors.find((p) => p.message.startsWith('the Aurora global cluster name'));
    expect(aurora?.path).toBe('spec.database');
    expect(aurora?.severity).toBe('error');
    expect(aurora!.message).toContain(`"${renderedName(global.manifest)}"`);
    expect(aurora!.message).toContain(NAME_RULES.rdsIdentifier.rule);
    expect(aurora!.message).toContain('rename the claim');
    // Only Aurora forbids the double hyphen: no other section is blamed.
    expect(new Set(errors.map((p) => p.path))).toEqual(new Set(['spec.database']));
  });

  it.each(EXAMPLES)("%s: the plan's names do not depend on spec.objectives (estate-names.ts caches without them)", (file) => {
    const claim = example(file);
    const names = (objectives: unknown) =>
      planClaim({ ...claim, spec: { ...claim.spec, objectives } as DisasterRecoveryClaim['spec'] }).flatMap((p) =>
        (p.names ?? []).map((n) => `${p.section} ${p.key} ${n.kind} ${n.name.value} ${n.name.full}`),
      );
    const stated = names(claim.spec.objectives);
    expect(stated.length).toBeGreaterThan(0);
    expect(names(undefined)).toEqual(stated);
    expect(names({ rpoSeconds: 1, rtoMinutes: 5, failures: ['region-loss'] })).toEqual(stated);
    expect(names({ rpoSeconds: 7200, rtoMinutes: 600 })).toEqual(stated);
  });
});
