/** Types of the objectives model's output. */
import type { FailureType } from '../../api/fields.js';
import type { ObjectiveVerdict } from '../../policy/objectives-verdict.js';
import type { TimingBasis } from '../../facts/timings.js';

export type { FailureType } from '../../api/fields.js';

/** One step of the reasoning: a lag that sets the RPO, or a stretch of time the RTO adds up. */
export interface Step {
  /** Which objective the step belongs to. */
  readonly objective: 'rpo' | 'rto';
  /** Stable id, e.g. `health-check`, `promote-database`, `lag-table-orders`. */
  readonly id: string;
  readonly label: string;
  readonly typicalSeconds: number;
  readonly worstSeconds: number;
  readonly typicalMinutes: number;
  readonly worstMinutes: number;
  /**
   * RTO: true when the step adds to the total (steps run one after another); false for steps that
   * run in parallel with a slower one or are for information. RPO: true for the store that sets it.
   */
  readonly counted: boolean;
  /** Where the typical figure comes from (documented, configured, or drplane's assumption). */
  readonly typicalBasis: TimingBasis;
  /** Where the worst-case figure comes from. */
  readonly worstBasis: TimingBasis;
  /** Where the numbers come from. */
  readonly source: string;
  /**
   * What shortens this step beyond the claim changes the advice tries and times itself (another setting of the
   * primitive the step belongs to, a control-plane flag), in the primitive's own words: the advice names it when this
   * step is the largest left. Absent when raising the objective or accepting the risk is all there is.
   */
  readonly lever?: string;
}

/** Making one store's secondary copy take writes. */
export interface Promotion {
  readonly label: string;
  readonly typicalSeconds: number;
  readonly worstSeconds: number;
  readonly typicalBasis: TimingBasis;
  readonly worstBasis: TimingBasis;
  readonly source: string;
}

/** What one data store can deliver. */
export interface StoreObjective {
  /** `database`, `table <name>` or `bucket <name>`. */
  readonly store: string;
  /** Path of the store in the claim, e.g. `spec.tables[1]`. */
  readonly field: string;
  /** Replication technology, e.g. "Aurora global database (storage-level, asynchronous)". */
  readonly technology: string;
  /** Data loss on an unplanned failover: the replication lag at that moment. */
  readonly rpo: {
    readonly typicalSeconds: number;
    readonly worstSeconds: number;
    readonly bounded: boolean;
    readonly typicalBasis: TimingBasis;
    readonly worstBasis: TimingBasis;
    readonly source: string;
  };
  /** Buckets: whether S3 Replication Time Control is on. */
  readonly replicationTimeControl?: boolean;
  /** Time to make the secondary copy take writes after an unplanned failure. */
  readonly promotion: Promotion;
  /** Time to move writes without data loss while the old region is up (Aurora switchover); absent when the same as promotion. */
  readonly switchover?: Promotion;
  /** Worst-case loss of the primary region's RPO within spec.objectives.rpoSeconds; null without objectives. */
  readonly rpoMet: boolean | null;
}

/** RPO and RTO of one failure type, through the path that runs for it. */
export interface FailureEstimate {
  readonly failure: FailureType;
  /** What fails, e.g. "loss of the primary region us-east-1". */
  readonly title: string;
  /** The recovery path that runs for this failure in this estate, and why (e.g. why automatic mode does not run). */
  readonly path: string;
  /** True when spec.objectives applies to this failure (spec.objectives.failures, default region-loss). */
  readonly objective: boolean;
  readonly rpo: {
    readonly typicalSeconds: number;
    readonly worstSeconds: number;
    /** True when every store's loss is 0 or bounded by an AWS commitment. */
    readonly guaranteed: boolean;
    /** Stores whose worst-case loss no hard AWS bound holds (a planning value, or S3 RTC's 99.9% SLA). */
    readonly unbounded: readonly string[];
    /** The store that sets the worst case, if any loses data. */
    readonly limitedBy?: string;
  };
  readonly rto: {
    readonly typicalSeconds: number;
    readonly worstSeconds: number;
    readonly typicalMinutes: number;
    readonly worstMinutes: number;
  };
  /** RPO steps (one per store) then RTO steps in the order they happen. */
  readonly steps: readonly Step[];
  /** The verdict of src/policy on this failure against spec.objectives; null when the objectives do not apply to it. */
  readonly verdict: ObjectiveVerdict | null;
}

/** A concrete change that moves the estate toward an unmet objective. */
export interface Advice {
  readonly objective: 'rpo' | 'rto';
  /** The failure whose objective the change is for. */
  readonly failure: FailureType;
  /** Claim field to change. */
  readonly field: string;
  /** What to write, and why. */
  readonly change: string;
  /** Worst-case RTO seconds the change alone saves (RTO advice that was computed). */
  readonly savesSeconds?: number;
}

/** Typical and worst-case values of one objective against what the claim asks. */
export interface ObjectiveCheck {
  readonly typicalSeconds: number;
  readonly worstSeconds: number;
  /** Worst case within the objective; null when the claim states none. */
  readonly met: boolean | null;
  /** Typical case within the objective; null when the claim states none. */
  readonly metTypically: boolean | null;
}

/**
 * What the estate can deliver against spec.objectives. The top-level figures are those of the failures the
 * objectives apply to (the worst of them for each objective); `failures` has every failure type.
 */
export interface ObjectivesEstimate {
  /** Estimated worst-case RPO of the estate in seconds (the worst store). */
  readonly rpoSeconds: number;
  /** Estimated worst-case RTO of the estate in minutes (one decimal). */
  readonly rtoMinutes: number;
  /** The same in the typical case. */
  readonly typical: { readonly rpoSeconds: number; readonly rtoMinutes: number };
  /** Both objectives met in the worst case; null when the claim states no objectives. */
  readonly met: boolean | null;
  readonly rpo: ObjectiveCheck & {
    /** The failure whose RPO this is (the worst of those the objectives apply to). */
    readonly failure: FailureType;
    readonly objectiveSeconds?: number;
    /** True when every store's loss is 0 or bounded by a hard AWS commitment (S3 RTC's SLA is not one). */
    readonly guaranteed: boolean;
    /** The store that sets the worst case, if any. */
    readonly limitedBy?: string;
  };
  readonly rto: ObjectiveCheck & {
    /** The failure whose RTO this is (the worst of those the objectives apply to). */
    readonly failure: FailureType;
    readonly objectiveMinutes?: number;
    readonly typicalMinutes: number;
    readonly worstMinutes: number;
  };
  readonly stores: readonly StoreObjective[];
  /** RPO steps of rpo.failure (one per store), then RTO steps of rto.failure in the order they happen. */
  readonly steps: readonly Step[];
  /** For each unmet objective, what to change. Empty when everything is met. */
  readonly advice: readonly Advice[];
  /** Every failure type with its own path, RPO, RTO, steps and verdict. */
  readonly failures: readonly FailureEstimate[];
}
