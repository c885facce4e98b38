/**
 * What to change when an objective is not met. RTO advice is computed, not guessed: each
 * candidate change is applied to a copy of the spec and the worst-case RTO recomputed, so
 * "saves ~X min" is exactly what the model gives.
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { FailureType } from '../../api/fields.js';
import { monitoring } from '../../api/sections.js';
import { MRSC_REGION_SETS, mrscSetOf } from '../../facts/dynamodb-mrsc.js';
import { PRICES } from '../prices.js';
import { AURORA_MANAGED_RPO_MIN_SECONDS, LAG } from '../../facts/timings.js';
import { DEFAULT_GUARD_SECONDS, LAG_PERIOD_SECONDS, rpoGuardSeconds } from '../../compose/failover-trigger.js';
import { eachPrimitive } from '../../primitives/registry.js';
import { rtoSecondsOf, rtoSteps, triggerOf } from './rto.js';
import { storeObjectives } from './stores.js';
import { approx, minutes } from './steps.js';
import type { Advice, FailureEstimate, StoreObjective } from './types.js';

/** A change to try: the claim field, the text, and the spec with the change applied. */
interface Candidate {
  readonly field: string;
  readonly change: string;
  readonly apply: (spec: DisasterRecoverySpec) => DisasterRecoverySpec;
  /** Named only when it alone meets the objective (RtoCandidate's onlyWhenMet). */
  readonly onlyWhenMet?: boolean;
}

/** Fastest values the advice proposes. */
export const SUGGESTED = { ttlSeconds: 30, intervalSeconds: 10, failureThreshold: 2 } as const;

type Routing = NonNullable<DisasterRecoverySpec['routing']>;
const withRouting = (spec: DisasterRecoverySpec, change: (r: Routing) => Routing): DisasterRecoverySpec => ({
  ...spec,
  routing: change(spec.routing!),
});

const automatic = (s: DisasterRecoverySpec): DisasterRecoverySpec => ({
  ...s,
  failover: { allowDataLoss: false, ...s.failover, mode: 'automatic' },
  monitoring: s.monitoring ?? monitoring().parse({}),
});

/** Automatic failover, with the monitoring section whose alarm starts it. */
function failoverCandidates(spec: DisasterRecoverySpec): Candidate[] {
  if (spec.failover?.mode !== 'automatic') {
    const needs = spec.monitoring ? '' : " and add a monitoring section (the standby's trigger alarms report to its alert topic)";
    return [
      {
        field: 'spec.failover.mode',
        change: `set failover.mode: automatic${needs}; the standby region then detects the failure and fails over unplanned (the database loses up to its replication lag)`,
        apply: automatic,
      },
    ];
  }
  if (!spec.monitoring) {
    const change =
      "add a monitoring section: failover.mode automatic needs its alert topic, to which the standby's trigger alarms report";
    return [{ field: 'spec.monitoring', change, apply: automatic }];
  }
  return [];
}

/** Faster detection and a shorter TTL, where the spec is slower than SUGGESTED. */
function routingCandidates(r: Routing | undefined): Candidate[] {
  if (!r) return [];
  const fast = PRICES.healthCheckOptionAws.usd;
  const healthCheck = (change: Partial<Routing['healthCheck']>) => (s: DisasterRecoverySpec) =>
    withRouting(s, (x) => ({ ...x, healthCheck: { ...x.healthCheck, ...change } }));
  return [
    ...(r.ttlSeconds > SUGGESTED.ttlSeconds
      ? [
          {
            field: 'spec.routing.ttlSeconds',
            change: `lower routing.ttlSeconds from ${r.ttlSeconds} to ${SUGGESTED.ttlSeconds}`,
            apply: (s: DisasterRecoverySpec) => withRouting(s, (x) => ({ ...x, ttlSeconds: SUGGESTED.ttlSeconds })),
          },
        ]
      : []),
    ...(r.healthCheck.intervalSeconds > SUGGESTED.intervalSeconds
      ? [
          {
            field: 'spec.routing.healthCheck.intervalSeconds',
            change: `set routing.healthCheck.intervalSeconds: ${SUGGESTED.intervalSeconds} (fast health checks, $${fast}/month more each)`,
            apply: healthCheck({ intervalSeconds: SUGGESTED.intervalSeconds }),
          },
        ]
      : []),
    ...(r.healthCheck.failureThreshold > SUGGESTED.failureThreshold
      ? [
          {
            field: 'spec.routing.healthCheck.failureThreshold',
            change: `set routing.healthCheck.failureThreshold: ${SUGGESTED.failureThreshold} (fewer failed probes before failover; more sensitive to blips)`,
            apply: healthCheck({ failureThreshold: SUGGESTED.failureThreshold }),
          },
        ]
      : []),
  ];
}

/** What the primitives propose for their own claim sections (their `rtoCandidates`, in the estate's order). */
const primitiveCandidates = (spec: DisasterRecoverySpec): Candidate[] =>
  eachPrimitive((_kind, p) =>
    (p.rtoCandidates?.(spec) ?? []).map((c) => ({
      field: c.field,
      change: c.change,
      apply: c.patch,
      ...(c.onlyWhenMet ? { onlyWhenMet: true } : {}),
    })),
  ).flat();

/** Every change worth trying on a spec, in the order the advice lists them (those that meet the objective go first). */
const rtoCandidates = (spec: DisasterRecoverySpec): Candidate[] => [
  ...failoverCandidates(spec),
  ...routingCandidates(spec.routing),
  ...primitiveCandidates(spec),
];

/**
 * Advice for an unmet RTO of one failure: each change with its saving, those that alone meet the objective first (with
 * the worst case they give), then, when even all of them together miss it, what remains.
 */
export function rtoAdvice(spec: DisasterRecoverySpec, failure: FailureType, objectiveMinutes: number): Advice[] {
  const rto = (s: DisasterRecoverySpec) => rtoSecondsOf(s, failure).worstSeconds;
  const objective = objectiveMinutes * 60;
  const base = rto(spec);
  const candidates = rtoCandidates(spec);
  const timed = candidates.flatMap((c) => {
    const after = rto(c.apply(spec));
    const saves = base - after;
    const meets = after <= objective;
    if (saves <= 0 || (c.onlyWhenMet && !meets)) return [];
    const result = meets ? `: ${minutes(after)} min worst, meets the ${objectiveMinutes} min asked` : '';
    const item: Advice = {
      objective: 'rto',
      failure,
      field: c.field,
      change: `${c.change} (saves ${approx(saves)} worst case${result})`,
      savesSeconds: saves,
    };
    return [{ item, meets }];
  });
  const advice: Advice[] = [...timed.filter((t) => t.meets), ...timed.filter((t) => !t.meets)].map((t) => t.item);
  if (!spec.routing) {
    const change =
      'add a routing section: Route 53 health checks detect the outage and DNS moves clients; without it clients are repointed by hand, which this estimate does not time';
    advice.push({ objective: 'rto', failure, field: 'spec.routing', change });
  }
  // Each change in turn, unless it undoes a better one before it (two standby modes of one section, say).
  const best = candidates.reduce((s, c) => {
    const next = c.apply(s);
    return rto(next) <= rto(s) ? next : s;
  }, spec);
  const floor = rto(best);
  if (floor > objective) {
    const largest = rtoSteps(best, failure)
      .filter((s) => s.counted)
      .reduce((a, b) => (b.worstSeconds > a.worstSeconds ? b : a));
    const change =
      `even with ${timed.length > 0 ? 'every change above' : 'this design'} the worst case is ${minutes(floor)} min (largest step: ${largest.label}, ${approx(largest.worstSeconds)}): ` +
      `raise objectives.rtoMinutes to ${Math.ceil(floor / 60)} or accept the risk` +
      (largest.lever ? `; to shorten that step: ${largest.lever}` : '');
    advice.push({ objective: 'rto', failure, field: 'spec.objectives.rtoMinutes', change });
  }
  return advice;
}

/** The MRSC option when the estate's regions allow it (src/policy decides the Region sets), else nothing. */
function strongOption(spec: DisasterRecoverySpec): string {
  const regions: readonly string[] = [spec.regions.primary, ...spec.regions.secondaries];
  const set = regions.length <= 3 ? mrscSetOf(regions) : undefined;
  if (!set) return '';
  const witness = regions.length === 2 ? `, witnessRegion: ${MRSC_REGION_SETS[set]!.find((r) => !regions.includes(r))}` : '';
  return `set consistency: strong${witness} (multi-Region strong consistency, RPO 0 for the loss of a region; only on a new table), or `;
}

function storeAdvice(
  spec: DisasterRecoverySpec,
  s: StoreObjective,
  failure: FailureType,
  rpo: number,
  engine: string | undefined,
): Advice {
  const rtc = LAG.s3WithRtc.worstSeconds;
  if (s.store.startsWith('bucket ') && !s.replicationTimeControl) {
    const tail = rpo < rtc ? `; even then RPO below ${rtc} s is not guaranteed for objects` : '';
    const change = `set replicationTimeControl: true on ${s.store}: AWS designs RTC to replicate 99.99% of objects within ${rtc} s (its SLA credits service below 99.9%; not a hard bound; today there is no target at all, ${LAG.s3WithoutRtc.worstSeconds} s is only a planning value)${tail}`;
    return { objective: 'rpo', failure, field: `${s.field}.replicationTimeControl`, change };
  }
  if (s.store.startsWith('bucket ')) {
    const change = `RPO below ${rtc} s is not guaranteed for S3 objects (${s.store}; RTC's SLA covers 99.9% of objects within ${rtc} s, with service credits): accept ${rtc} s for objects (objectives.rpoSeconds: ${rtc}), or keep the data that needs ${rpo} s in DynamoDB or Aurora`;
    return { objective: 'rpo', failure, field: s.field, change };
  }
  if (s.store.startsWith('table ')) {
    const strong = strongOption(spec);
    const change = `DynamoDB global table (${s.store}) replication is typically ${s.rpo.typicalSeconds} s with no bound (planning worst case ${s.rpo.worstSeconds} s): ${strong}set objectives.rpoSeconds to ${s.rpo.worstSeconds} or more`;
    return { objective: 'rpo', failure, field: strong ? `${s.field}.consistency` : 'spec.objectives.rpoSeconds', change };
  }
  if (s.store === 'database' && triggerOf(spec, failure).automatic) {
    const guard = rpoGuardSeconds(spec.objectives);
    const least = LAG_PERIOD_SECONDS + DEFAULT_GUARD_SECONDS;
    const change =
      `automatic failover goes ahead when the standby's Aurora lag before the loss was within the RPO guard (${guard} s) and loses up to ${LAG_PERIOD_SECONDS} s more (the lag metric's period): ` +
      `an RPO of ${LAG_PERIOD_SECONDS} s or less leaves no room for that period; write rpoSeconds: ${least} or more (the guard is then rpoSeconds − ${LAG_PERIOD_SECONDS} s), or failover.mode: manual (people decide on the lag, which is not bounded)`;
    return { objective: 'rpo', failure, field: 'spec.objectives.rpoSeconds', change };
  }
  const tech = 'Aurora global database';
  const managed =
    s.store === 'database' && engine === 'aurora-postgresql'
      ? `; only managed RPO (rds.global_db_rpo, ≥ ${AURORA_MANAGED_RPO_MIN_SECONDS} s, pauses commits while secondaries lag) gives a hard bound`
      : '';
  const change = `${tech} replication is typically ${s.rpo.typicalSeconds} s with no bound (planning worst case ${s.rpo.worstSeconds} s): set objectives.rpoSeconds to ${s.rpo.worstSeconds} or more, or accept that an outage can lose the lag of that moment${managed}`;
  return { objective: 'rpo', failure, field: 'spec.objectives.rpoSeconds', change };
}

/** Advice for an unmet RPO of one failure: RPO 0 is explained once; otherwise one item per store over the objective. */
export function rpoAdvice(spec: DisasterRecoverySpec, f: FailureEstimate, objectiveSeconds: number): Advice[] {
  const losing = f.steps.filter((s) => s.objective === 'rpo' && s.worstSeconds > objectiveSeconds);
  const stores = storeObjectives(spec).filter((s) => losing.some((l) => l.id === `lag-${s.store.replace(/\s+/g, '-')}`));
  if (objectiveSeconds === 0) {
    const names = stores.map((s) => s.store).join(', ');
    const change =
      `RPO 0 cannot be met for ${f.title}: ${names} replicate${stores.length === 1 ? 's' : ''} asynchronously (worst case ${f.rpo.worstSeconds} s): ` +
      'write the data loss the business accepts, and use a planned switchover (SwitchoverGlobalCluster, RPO 0) for zero-loss drills and planned moves';
    return [{ objective: 'rpo', failure: f.failure, field: 'spec.objectives.rpoSeconds', change }];
  }
  return stores.map((s) => storeAdvice(spec, s, f.failure, objectiveSeconds, spec.database?.engine));
}
