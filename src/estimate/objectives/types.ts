/** Types of the objectives model's output. */

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
  /** Where the numbers come from. */
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
    readonly source: string;
  };
  /** Time to make the secondary copy take writes. */
  readonly promotion: {
    readonly label: string;
    readonly typicalSeconds: number;
    readonly worstSeconds: number;
    readonly source: string;
  };
  /** Worst-case RPO within spec.objectives.rpoSeconds; null without objectives. */
  readonly rpoMet: boolean | null;
}

/** A concrete change that moves the estate toward an unmet objective. */
export interface Advice {
  readonly objective: 'rpo' | 'rto';
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

/** What the estate can deliver against spec.objectives. */
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
    readonly objectiveSeconds?: number;
    /** True when every store's lag is bounded by an AWS commitment (only S3 RTC is). */
    readonly guaranteed: boolean;
    /** The store that sets the worst case, if any. */
    readonly limitedBy?: string;
  };
  readonly rto: ObjectiveCheck & {
    readonly objectiveMinutes?: number;
    readonly typicalMinutes: number;
    readonly worstMinutes: number;
  };
  readonly stores: readonly StoreObjective[];
  /** RPO steps (one per store) then RTO steps in the order they happen. */
  readonly steps: readonly Step[];
  /** For each unmet objective, what to change. Empty when everything is met. */
  readonly advice: readonly Advice[];
}
