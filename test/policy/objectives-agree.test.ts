/**
 * validate and objectives give one answer: for every claim (the shipped ones and a grid of objectives over
 * estates with and without each store, routing and automatic failover), validate reports an RPO or RTO problem
 * exactly when `drctl objectives`' model says that objective is not met in the worst case, with the model's figure.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DisasterRecoverySpec } from '../../src/api/claim.js';
import { estimateObjectives } from '../../src/estimate/objectives.js';
import { validateClaim, validateText } from '../../src/policy/validate.js';
import { repoPath } from '../support/paths.js';
import { FULL, TODAY } from './specs.js';

const RPO_RULES = ['objectives.rpo-zero', 'objectives.rpo-not-met'];
const RTO_RULES = ['objectives.rto-not-met'];

/** validate's verdict on a claim's objectives (false when it reports a problem about one) and objectives' verdict. */
function verdicts(document: unknown) {
  const result = validateClaim(document, { today: TODAY });
  expect(result.claim, JSON.stringify(result.problems)).toBeDefined();
  const estimate = estimateObjectives(result.claim!.spec);
  const rpoProblems = result.problems.filter((p) => RPO_RULES.includes(p.ruleId));
  const rtoProblems = result.problems.filter((p) => RTO_RULES.includes(p.ruleId));
  // rpo-zero proposes the worst figure; each rpo-not-met names its failure and that failure's figure.
  for (const p of rpoProblems.filter((x) => x.ruleId === 'objectives.rpo-zero'))
    expect(p.message).toContain(`${estimate.rpoSeconds} s`);
  for (const p of rpoProblems.filter((x) => x.ruleId === 'objectives.rpo-not-met')) {
    const f = estimate.failures.find((x) => p.message.includes(`not met for ${x.title}:`));
    expect(f?.verdict?.rpoMet, p.message).toBe(false);
    expect(p.message).toContain(`up to ${f!.rpo.worstSeconds} s`);
  }
  // One RTO problem per failure that misses, naming the failure and its figure.
  const missed = estimate.failures.filter((f) => f.verdict?.rtoMet === false);
  expect(rtoProblems).toHaveLength(missed.length);
  for (const f of missed) {
    const p = rtoProblems.find((x) => x.message.includes(`not met for ${f.title} (${f.path}): recovery takes up to`));
    expect(p?.message, f.failure).toContain(`= ${f.rto.worstMinutes} min`);
  }
  return {
    validate: { rpo: rpoProblems.length === 0, rto: rtoProblems.length === 0 },
    objectives: { rpo: estimate.rpo.met, rto: estimate.rto.met },
  };
}

const claim = (spec: Record<string, unknown>) => ({
  apiVersion: 'drplane.io/v1alpha1',
  kind: 'DisasterRecovery',
  metadata: { name: 'agree', namespace: 'team' },
  spec,
});

/** Estates that differ in what sets the RPO and the RTO. */
const ESTATES: Record<string, Record<string, unknown>> = {
  full: { ...FULL },
  'tables only': { ...FULL, database: undefined, buckets: undefined },
  'database only': { ...FULL, tables: undefined, buckets: undefined },
  'bucket without RTC': { ...FULL, buckets: [{ name: 'docs', replicationTimeControl: false }] },
  'no routing': { ...FULL, routing: undefined, service: undefined },
  automatic: { ...FULL, failover: { mode: 'automatic' } },
  'no data stores': { ...FULL, database: undefined, tables: undefined, buckets: undefined },
};

describe('validate and objectives agree', () => {
  const files = readdirSync(repoPath('examples'))
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  it.each(files)('on examples/%s', (file) => {
    const text = readFileSync(repoPath('examples', file), 'utf8');
    const spec: DisasterRecoverySpec = validateText(text, file, { today: TODAY }).claim!.spec;
    const v = verdicts(claim(spec as unknown as Record<string, unknown>));
    expect(v.validate).toEqual(v.objectives);
  });

  const grid = Object.entries(ESTATES).flatMap(([name, estate]) =>
    [0, 1, 5, 10, 60, 900, 3600, 7200].flatMap((rpoSeconds) =>
      [5, 15, 20, 30, 45, 60, 120].map((rtoMinutes) => ({ name, estate, rpoSeconds, rtoMinutes })),
    ),
  );
  const FAILURE_SETS = [undefined, ['application-fault'], ['planned-switchover'], ['region-loss', 'application-fault']];
  it(`on ${grid.length * FAILURE_SETS.length} estates × objectives × failures they apply to`, () => {
    const disagreements = grid.flatMap(({ name, estate, rpoSeconds, rtoMinutes }) =>
      FAILURE_SETS.flatMap((failures) => {
        const spec = Object.fromEntries(
          Object.entries({ ...estate, objectives: { rpoSeconds, rtoMinutes, ...(failures ? { failures } : {}) } }).filter(
            ([, v]) => v !== undefined,
          ),
        );
        const v = verdicts(claim(spec));
        return JSON.stringify(v.validate) === JSON.stringify(v.objectives)
          ? []
          : [{ name, rpoSeconds, rtoMinutes, failures, ...v }];
      }),
    );
    expect(disagreements).toEqual([]);
  });
});
