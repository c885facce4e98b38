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

/** examples/three-region.yaml with routing.control: arc (an ARC cluster, controls and safety rules). */
export function threeRegionArc(): DisasterRecoveryClaim {
  const doc = example('three-region.yaml');
  return DisasterRecoveryClaimSchema.parse({ ...doc, spec: { ...doc.spec, routing: { ...doc.spec.routing, control: 'arc' } } });
}

/** Every variant, named `<example> + <setting>`. */
export const exampleVariants = (): ReadonlyArray<readonly [string, DisasterRecoveryClaim]> => [
  ['three-region.yaml + routing.control arc', threeRegionArc()],
];
