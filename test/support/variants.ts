/**
 * Claims that are an example plus one setting, for the tiers that run over every example: a setting no example shows
 * (it would change an example's golden and hand-computed cost) is still planned and checked.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DisasterRecoveryClaimSchema, type DisasterRecoveryClaim } from '../../src/api/claim.js';
import { repoPath } from './paths.js';

/** An example's raw YAML document. */
const example = (file: string) => parse(readFileSync(repoPath('examples', file), 'utf8')) as Record<string, any>;

/** A shared ARC cluster's ARN, in the form the ARC Developer Guide shows. */
export const SHARED_ARC_CLUSTER = 'arn:aws:route53-recovery-control::111122223333:cluster/5678abcd-abcd-5678-abcd-5678abcdef01';

/**
 * examples/three-region.yaml with routing.control: arc (an ARC cluster, controls and safety rules), and optionally
 * routing.arc (armed: the records use the gated checks; clusterArn: a shared cluster instead of its own; readiness: ARC
 * readiness checks).
 */
export function threeRegionArc(arc?: { armed?: boolean; clusterArn?: string; readiness?: boolean }): DisasterRecoveryClaim {
  const doc = example('three-region.yaml');
  return DisasterRecoveryClaimSchema.parse({
    ...doc,
    spec: { ...doc.spec, routing: { ...doc.spec.routing, control: 'arc', ...(arc ? { arc } : {}) } },
  });
}

/** Every variant, named `<example> + <setting>`. */
export const exampleVariants = (): ReadonlyArray<readonly [string, DisasterRecoveryClaim]> => [
  ['three-region.yaml + routing.control arc', threeRegionArc()],
  [
    'three-region.yaml + routing.control arc, armed, on a shared cluster',
    threeRegionArc({ armed: true, clusterArn: SHARED_ARC_CLUSTER }),
  ],
  ['three-region.yaml + routing.control arc with readiness checks', threeRegionArc({ readiness: true })],
];
