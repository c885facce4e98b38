/**
 * What a primitive is made of. Every primitive supplies the required pieces (an explicit `null` or empty list where it
 * has none), and the registry (registry.ts) is typed over the kind names, so a primitive missing one does not compile.
 * The optional hooks (recoverySteps, drillChecks, rtoCandidates, status, watch, logs) are for primitives with that part; `status` is
 * required exactly when the primitive's api declares claim status fields (StatusHookOf below).
 */
import type { z } from 'zod';
import type { DisasterRecoverySpec } from '../api/claim.js';
import type { FailureType } from '../api/fields.js';
import type { SwitchoverObservation } from '../cluster/switchover.js';
import type { Step } from '../estimate/objectives/types.js';
import type { EstateField } from '../api/estate.js';
import type { ComposeContext } from '../compose/context.js';
import type { CrossValues } from '../compose/estate.js';
import type { Statement } from '../compose/iam.js';
import type { Observed } from '../compose/outputs.js';
import type { ComposeEvent, ComposeOptions, DesiredResource, Manifest, ObservedView } from '../compose/types.js';
import type { CostContext } from '../estimate/cost/context.js';
import type { OwnLogs, Planned } from '../estimate/cost/log-pricing.js';
import type { PlacedLine } from '../estimate/lines.js';
import type { PolicyRule } from '../policy/types.js';
import type { PRIMITIVE_APIS, PrimitiveKind } from './kinds.js';
import type { AlarmDef } from './monitoring/alarm-def.js';

/** The spec schema of a primitive. */
export type SpecSchemaOf<K extends PrimitiveKind> = (typeof PRIMITIVE_APIS)[K]['spec'];
/** The spec of a primitive, after defaults. */
export type SpecOf<K extends PrimitiveKind> = z.output<SpecSchemaOf<K>>;
/** What the estate writes into a nested composite's spec besides the estate context. */
export type SectionOf<K extends PrimitiveKind> = Omit<z.input<SpecSchemaOf<K>>, EstateField>;

/** What composing one composite yields. */
export interface Composed {
  readonly resources: DesiredResource[];
  readonly events?: ComposeEvent[];
  readonly status?: Record<string, unknown>;
  readonly connectionDetails?: Readonly<Record<string, string>>;
  /** Seconds after which the clock alone may change the answer (ComposeResult's recheckAfterSeconds). */
  readonly recheckAfterSeconds?: number;
}

/** One nested composite the estate composes for a primitive. */
export interface NestedComposite<K extends PrimitiveKind> {
  /** The claim field the composite comes from (spec.database, spec.tables[0]): problems about its names point there. */
  readonly section: string;
  /** Names one of several composites of its kind (a table's or bucket's claim name): its key is `<key>-<name>`. */
  readonly name?: string;
  /** The primitive's own fields; the estate adds the estate context before them. */
  readonly spec: SectionOf<K>;
  /** Secret the composite's connection details go to, if it has any. */
  readonly writeConnectionSecretToRef?: { readonly name: string; readonly namespace: string };
}

/**
 * A DR primitive: how it composes, how the estate fans the claim out to it, what it costs and what policy checks; with
 * a `status` hook exactly when its api declares claim status fields.
 */
export type Primitive<K extends PrimitiveKind> = PrimitiveParts<K> & StatusHookOf<K>;

/**
 * A primitive whose api declares fields of the claim's status (`claim.regionStatus`) must fill them (a `status` hook),
 * and one that declares none has no hook to fill them: either mistake is a compile error.
 */
type StatusHookOf<K extends PrimitiveKind> = (typeof PRIMITIVE_APIS)[K]['claim'] extends { readonly regionStatus: object }
  ? { readonly status: StatusView<K> }
  : { readonly status?: never };

/** The pieces of a primitive (Primitive adds the status rule). */
export interface PrimitiveParts<K extends PrimitiveKind> {
  /** Composition key of its nested composite in the estate, or the prefix of its per-name keys (`<key>-<name>`). */
  readonly key: string;
  /** True when its composites hold the estate's data: the drop guard (src/compose/drop-guard.ts) protects them. */
  readonly holdsData: boolean;
  /** Its managed resources (and status, events) from its spec and what Crossplane observed. */
  readonly compose: (
    ctx: ComposeContext,
    spec: SpecOf<K>,
    observed: ObservedView,
    options: ComposeOptions,
    xr: Manifest,
  ) => Composed;
  /** The nested composites of this kind the estate composes for a claim (none when the claim lacks its section). */
  readonly nested: (claim: DisasterRecoverySpec, cross: CrossValues, ctx: ComposeContext) => readonly NestedComposite<K>[];
  /** Its monthly cost lines, read from the plan; null when it bills nothing beyond the estate-wide lines (keys, logs, secrets). */
  readonly cost: ((ctx: CostContext, notes: string[]) => PlacedLine[]) | null;
  /**
   * Only for a primitive whose log groups follow a volume of their own (not the estate-wide assumption per group): its
   * CloudWatch Logs lines in a region, from the region's planned log groups, and the groups they cover, which the
   * estate-wide lines (src/estimate/cost/logs.ts) then leave out. None: its groups are priced like any other.
   */
  readonly logs?: (ctx: CostContext, region: string, groups: readonly Planned[], notes: string[]) => OwnLogs;
  /** The policy rules about its claim section. */
  readonly rules: readonly PolicyRule[];
  /**
   * Only for a primitive with a part in recovery: the RTO steps it adds after the stores are promoted (the objectives
   * model, src/estimate/objectives/rto.ts), for a failure; `automatic` when the orchestrator starts the run by itself
   * (no activeRegion change in git). None: it adds nothing.
   */
  readonly recoverySteps?: (spec: DisasterRecoverySpec, failure: FailureType, automatic: boolean) => readonly Step[];
  /**
   * Only for a primitive whose own claim section can shorten the RTO (an EKS standby mode): the changes of that section
   * the objectives model tries when an RTO is not met (src/estimate/objectives/advice.ts times each on a copy of the
   * spec, lists those that save time and includes them in what remains if all are applied). None: it proposes nothing.
   */
  readonly rtoCandidates?: (spec: DisasterRecoverySpec) => readonly RtoCandidate[];
  /**
   * Only for a primitive with a part in recovery: what `drctl drill --apply` waits for in the target region after the
   * claim applies the new activeRegion (src/cli/drill-watch.ts), in the estate's order. None: nothing of its own.
   */
  readonly drillChecks?: (spec: DisasterRecoverySpec, target: string) => readonly DrillCheck[];
  /**
   * Only for a primitive the monitoring primitive watches beyond the replicated stores: what XDRMonitoring composes for
   * it (src/primitives/monitoring maps over these). None: monitoring composes nothing of its own for it.
   */
  readonly watch?: Watch;
}

/** A claim change a primitive proposes for an unmet RTO; the objectives model times it, the primitive only says it. */
export interface RtoCandidate {
  /** The claim field it changes, as the advice names it (`spec.kubernetes.standby`). */
  readonly field: string;
  /** What to write and what it costs or changes besides the RTO, in the primitive's words (no saving: the model adds it). */
  readonly change: string;
  /** The spec with the change applied (a copy: the spec passed in is left as it is). */
  readonly patch: (spec: DisasterRecoverySpec) => DisasterRecoverySpec;
  /**
   * True when it is worth naming only if it alone meets the objective (a cheaper, partial form of another candidate):
   * the advice leaves it out otherwise.
   */
  readonly onlyWhenMet?: boolean;
}

/** XDRMonitoring's spec, as a watch reads it. */
type MonitoringSpec = SpecOf<'XDRMonitoring'>;

/**
 * What XDRMonitoring composes for a primitive it watches: the spec fields the estate passes for it, its metric alarms
 * (on what each region's lag monitor publishes of it), other notifiers of the alert topics, what the lag monitor
 * observes for it and the series that makes it publish.
 */
export interface Watch {
  /**
   * The fields of XDRMonitoring's spec the estate passes for it (monitoring/schema.ts declares them: they are its
   * XRD's data contract), from the claim and the cross values, in the schema's order; a flag false without its section.
   */
  readonly monitoringSpec: (
    claim: DisasterRecoverySpec,
    cross: CrossValues,
    ctx: ComposeContext,
  ) => Partial<SectionOf<'XDRMonitoring'>>;
  /** True when XDRMonitoring's spec says the estate has it (the flag monitoringSpec sets from the claim). */
  readonly watched: (spec: MonitoringSpec) => boolean;
  /** Its metric alarms in a region, in a fixed order, when watched (on what its lagMonitor publishes, if it has one). */
  readonly alarms: (ctx: ComposeContext, region: string) => readonly AlarmDef[];
  /** Other notifiers of a region's alert topic, as EventBridge rules: composed whether or not watched, from the spec. */
  readonly eventRules?: {
    /** Its rules and targets in the region, given the topic's ARN; none while what they match is not known. */
    readonly resources: (ctx: ComposeContext, spec: MonitoringSpec, region: string, topicArn: string) => DesiredResource[];
    /** The ARNs of the rules `resources` composes in the region (the topic's policy admits exactly those). */
    readonly arns: (ctx: ComposeContext, spec: MonitoringSpec, region: string, account: string) => string[];
  };
  /**
   * What the region's lag monitor observes for it, when watched: a watch with it makes every estate region run a lag
   * monitor. None: its alarms are on metrics AWS publishes itself.
   */
  readonly lagMonitor?: {
    /** Entries of the monitor's environment (lambda/shared/env-contract.ts LAG_MONITOR_ENV). */
    readonly environment: (ctx: ComposeContext, spec: MonitoringSpec, region: string) => Record<string, string>;
    /** The monitor role's statements to read it. */
    readonly statements: (ctx: ComposeContext, region: string, account: string) => Statement[];
    /**
     * The custom-metric series it makes a monitor publish, read from the monitor Function's environment in the plan
     * (the cost model: monitoring/lag-monitor-cost.ts): how many and what, or undefined when that monitor has none.
     */
    readonly series: (
      environment: Readonly<Record<string, string>>,
    ) => { readonly count: number; readonly what: string } | undefined;
  };
}

/** What a primitive reports in the claim's status, and how `drctl status` shows it. */
export interface StatusView<K extends PrimitiveKind> {
  /**
   * Its fields of the claim's status.regions.<region> (the names of its api's `claim.regionStatus`), from what its
   * nested composite published (src/compose/estate.ts); only the fields it knows.
   */
  readonly claimRegion: (composite: Observed<K>, region: string) => Readonly<Record<string, unknown>>;
  /** The lines `drctl status` prints under the claim for one region, read from the claim's status.regions.<region>. */
  readonly lines?: (region: string, regionStatus: Readonly<Record<string, unknown>>) => readonly StatusLine[];
  /**
   * The line `drctl status` prints under one of its managed resources, from that resource's status.atProvider
   * (src/cluster/tree.ts); undefined for a resource it says nothing about.
   */
  readonly resourceLine?: (ref: ManagedRef, atProvider: Readonly<Record<string, unknown>> | undefined) => string | undefined;
}

/** One line of `drctl status`: `warn` lines are shown in yellow. */
export interface StatusLine {
  readonly text: string;
  readonly warn?: boolean;
}

/** The type of a managed resource in the estate tree. */
export interface ManagedRef {
  readonly apiVersion: string;
  readonly kind: string;
}

/** One thing a drill waits for, read from one observation of the estate (src/cluster/switchover.ts). */
export interface DrillCheck {
  /** The step's id in the drill's report (`writer`, `nodes`). */
  readonly id: string;
  readonly label: string;
  readonly done: (o: SwitchoverObservation) => boolean;
  /** Why it is not done yet, for the report of a wait that gave up. */
  readonly why: (o: SwitchoverObservation) => string;
}
