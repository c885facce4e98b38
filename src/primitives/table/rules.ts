/**
 * DynamoDB global tables with multi-Region strong consistency (MRSC): AWS builds them from exactly three regions of
 * one Region set (src/facts/dynamodb-mrsc.ts): three replicas, or two replicas and a witness. drplane puts a
 * replica in every region of the estate, so a strong table needs an estate of three regions in one set, or of two
 * with witnessRegion the third of their set. Whether a table already exists with the other mode (AWS cannot change
 * it after creation) cannot be checked offline.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import { MRSC_CHECKED, MRSC_REGION_SETS, mrscSetOf } from '../../facts/dynamodb-mrsc.js';
import { type PolicyRule, problem, withFix } from '../../policy/types.js';

const SETS = Object.entries(MRSC_REGION_SETS)
  .map(([name, regions]) => `${name}: ${regions.join(', ')}`)
  .join('; ');

type Table = NonNullable<DisasterRecoverySpec['tables']>[number];

function strongProblems(spec: DisasterRecoverySpec, t: Table, i: number) {
  const at = `spec.tables[${i}]`;
  const regions: readonly string[] = [spec.regions.primary, ...spec.regions.secondaries];
  const all: readonly string[] = t.witnessRegion ? [...regions, t.witnessRegion] : regions;
  const sets = `AWS offers MRSC in these Region sets (checked ${MRSC_CHECKED}): ${SETS}`;
  if (t.consistency !== 'strong') {
    return t.witnessRegion
      ? [
          problem(
            strongConsistencyRule,
            `${at}.witnessRegion`,
            `witnessRegion is only for consistency: strong (MRSC); table ${t.name} is eventual: remove witnessRegion or set consistency: strong`,
          ),
        ]
      : [];
  }
  if (regions.length > 3)
    return [
      problem(
        strongConsistencyRule,
        `${at}.consistency`,
        `table ${t.name}: MRSC takes exactly three regions, and this estate has ${regions.length} (${regions.join(', ')}), each with a replica: keep consistency: eventual, or use three regions of one set. ${sets}`,
      ),
    ];
  if (t.witnessRegion && regions.includes(t.witnessRegion))
    return [
      problem(
        strongConsistencyRule,
        `${at}.witnessRegion`,
        `table ${t.name}: the witness ${t.witnessRegion} already holds a replica (it is a region of the estate); name the third region of the set, not one of ${regions.join(', ')}`,
      ),
    ];
  if (regions.length === 3 && t.witnessRegion)
    return [
      problem(
        strongConsistencyRule,
        `${at}.witnessRegion`,
        `table ${t.name}: with three regions MRSC uses three replicas and no witness; remove witnessRegion`,
      ),
    ];
  const set = mrscSetOf(all);
  if (!set)
    return [
      problem(
        strongConsistencyRule,
        t.witnessRegion ? `${at}.witnessRegion` : `${at}.consistency`,
        `table ${t.name}: MRSC needs every region of the table in one Region set, and ${all.join(', ')} are not. ${sets}; or keep consistency: eventual`,
      ),
    ];
  if (regions.length === 2 && !t.witnessRegion) {
    const witness = MRSC_REGION_SETS[set]!.find((r) => !regions.includes(r))!;
    return [
      withFix(
        problem(
          strongConsistencyRule,
          `${at}.witnessRegion`,
          `table ${t.name}: MRSC with two replicas needs a witness, a third region of the ${set} set (${MRSC_REGION_SETS[set]!.filter((r) => !regions.includes(r)).join(', ')}): write witnessRegion: ${witness}`,
        ),
        { path: `${at}.witnessRegion`, value: witness },
      ),
    ];
  }
  return [];
}

/** A strong (MRSC) table fits the Region sets and the three-region shape AWS offers. */
export const strongConsistencyRule: PolicyRule = {
  id: 'tables.strong-consistency',
  severity: 'error',
  summary:
    'consistency: strong (DynamoDB MRSC) takes exactly three regions of one AWS Region set: three replicas, or two and witnessRegion.',
  check: (spec) => (spec.tables ?? []).flatMap((t, i) => strongProblems(spec, t, i)),
};

/** Rules of the DynamoDB tables. */
export const TABLE_RULES: readonly PolicyRule[] = [strongConsistencyRule];
