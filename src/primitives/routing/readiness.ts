/**
 * routing.control arc: ARC readiness checks (route53recoveryreadiness) of the estate's regional replicas.
 *
 * The model (Recovery Readiness API Reference, botocore route53-recovery-readiness 2019-12-02): a recovery group of one
 * cell per region; a resource set per resource type whose resources are each scoped to the cell of their region
 * (Resource.ReadinessScopes); a readiness check per resource set. ARC compares the replicas of a set across the cells
 * (capacity, configuration) and reports READY, NOT_READY, UNKNOWN or NOT_AUTHORIZED per check, per cell and for the
 * group (GetCellReadinessSummary, GetRecoveryGroupReadinessSummary). AWS says readiness is for keeping replicas
 * aligned, not a failover trigger: nothing in drplane fails over on it; drctl status shows it per region.
 *
 * Only when the claim asks (routing.arc.readiness): AWS no longer opens the readiness check feature to new customers
 * (ARC Developer Guide, "readiness check availability change"; existing customers keep it), so an account that has
 * never used it cannot create these resources and the routing composite would never be Ready.
 *
 * Only with routing.control arc: readiness answers "may I flip the routing controls to that region?", a decision only
 * an ARC estate makes by hand or through the orchestrator's controls; every check is billed by the hour (drctl cost),
 * and a health-check estate's failover follows its health checks and database, which `drctl status` already shows.
 *
 * Resource sets (ResourceSetType values from botocore's CreateResourceSet documentation; ARN formats as the ARC
 * Developer Guide's "Resource types and ARN formats in ARC" lists them, which here agree with cfn-lint's IAM data,
 * AdditionalSpecs/Policies.json):
 * - AWS::Route53::HealthCheck: each region's endpoint health check, arn:aws:route53:::healthcheck/<id> (the id observed;
 *   no account: ARC asks for one in a hosted zone's ARN, of a DNS target resource, not in a health check's);
 * - AWS::Lambda::Function: each region's service function, arn:aws:lambda:<region>:<account>:function:<name>;
 * - AWS::RDS::DBCluster (with a database): each region's Aurora cluster, arn:aws:rds:<region>:<account>:cluster:<id>;
 * - AWS::DynamoDB::Table, one set per table: its replica in each region, arn:aws:dynamodb:<region>:<account>:table/<name>.
 * The account is read from the ARN of an ARC resource the estate observes (never guessed); the cell ARNs are built in
 * their documented form arn:aws:route53-recovery-readiness::<account>:cell/<name>.
 *
 * References: the readiness kinds have none that drplane can use (the CRDs' only reference, resourceArnRef, targets a
 * CloudWatch MetricAlarm), so names and ARNs are literals, and a readiness check is composed once its resource set
 * exists. External names: the provider imports each kind by its name (ParameterAsIdentifier cell_name,
 * recovery_group_name, resource_set_name, readiness_check_name: config/externalname.go), so the annotation is the name.
 * Names: 1-64 letters, digits and underscores (botocore __stringMax64PatternAAZAZ09Z): no hyphens.
 *
 * Once composed, a readiness resource is never dropped because an observation went missing (the account's ARN, a
 * health check id): its last composed forProvider is emitted again until the value is back.
 */
import { Cell, ReadinessCheck, RecoveryGroup, ResourceSet } from '../../../imports/route53recoveryreadiness.aws.upbound.io.js';
import { Parameter, ParameterSpecManagementPolicies } from '../../../imports/ssm.aws.upbound.io.js';
import {
  READINESS_STALE_AFTER_SECONDS,
  parseReadinessReport,
  readinessParameterName,
  type Readiness,
} from '../../../lambda/shared/readiness.js';
import { lagStatePrefix } from '../../compose/lag-monitor.js';
import { INFORMATIONAL } from '../../compose/observed.js';
import { observedAccount } from '../../compose/arn.js';
import { lastForProvider } from '../../compose/observed.js';
import type { ComposeContext } from '../../compose/context.js';
import type { DesiredResource, Manifest, ObservedView } from '../../compose/types.js';
import { clusterId } from '../database/compose.js';
import { serviceFunctionName } from '../service/compose.js';
import { tableName } from '../table/compose.js';
import { ARC, routingControlKey } from './arc.js';

/** Composition keys (and component labels) of the readiness resources. */
export const READINESS = {
  /** Component of the cells; a region's key is readinessCellKey(region). */
  cell: 'readiness-cell',
  recoveryGroup: 'readiness-recovery-group',
  /** Component of the resource sets; a set's key is readinessSetKey(slug). */
  resourceSet: 'readiness-resource-set',
  /** Component of the readiness checks; a check's key is readinessCheckKey(slug). */
  check: 'readiness-check',
} as const;

/** Composition key of a region's cell. */
export const readinessCellKey = (region: string): string => `${READINESS.cell}-${region}`;
/** Composition key of a resource set. */
export const readinessSetKey = (slug: string): string => `${READINESS.resourceSet}-${slug}`;
/** Composition key of a readiness check. */
export const readinessCheckKey = (slug: string): string => `${READINESS.check}-${slug}`;

import { cellArn, readinessNames } from './readiness-names.js';

export { cellArn, readinessNames };

/** What the readiness resources check: the estate sections that have regional replicas. */
export interface ReadinessInputs {
  /** True with an Aurora global database. */
  readonly database: boolean;
  /** Logical names of the estate's DynamoDB global tables. */
  readonly tables: readonly string[];
  /** Composition key of a region's endpoint health check (observed for its id). */
  readonly healthCheckKey: (region: string) => string;
  /** True when the estate puts its controls on a shared cluster (routing.arc.clusterArn), possibly another account's. */
  readonly sharedCluster: boolean;
}

/** One resource set: its slug, ARC resource type, and the ARN of its resource in a region (undefined until known). */
interface SetSpec {
  readonly slug: string;
  readonly type: string;
  readonly arnIn: (region: string) => string | undefined;
}

/** The resource sets of an estate, in a stable order. */
function setSpecs(ctx: ComposeContext, observed: ObservedView, account: string | undefined, inputs: ReadinessInputs): SetSpec[] {
  const withAccount = (arn: (a: string) => string) => (account === undefined ? undefined : arn(account));
  const sets: SetSpec[] = [
    {
      slug: 'health-checks',
      type: 'AWS::Route53::HealthCheck',
      arnIn: (r) => {
        const id = observed.field(inputs.healthCheckKey(r), 'status.atProvider.id');
        return id === undefined ? undefined : `arn:aws:route53:::healthcheck/${id}`;
      },
    },
    {
      slug: 'functions',
      type: 'AWS::Lambda::Function',
      arnIn: (r) => withAccount((a) => `arn:aws:lambda:${r}:${a}:function:${serviceFunctionName(ctx, r)}`),
    },
  ];
  if (inputs.database)
    sets.push({
      slug: 'aurora',
      type: 'AWS::RDS::DBCluster',
      arnIn: (r) => withAccount((a) => `arn:aws:rds:${r}:${a}:cluster:${clusterId(ctx, r)}`),
    });
  for (const table of [...inputs.tables].sort())
    sets.push({
      slug: `table-${table}`,
      type: 'AWS::DynamoDB::Table',
      arnIn: (r) => withAccount((a) => `arn:aws:dynamodb:${r}:${a}:table/${tableName(ctx, table)}`),
    });
  return sets;
}

/**
 * A resource built from `forProvider` when every value it needs is known; else, once composed, the same kind with the
 * forProvider Crossplane last saw (so a lost observation never deletes it); else nothing yet.
 */
function kept(
  observed: ObservedView,
  key: string,
  forProvider: Record<string, unknown> | undefined,
  make: (forProvider: Record<string, unknown>) => Manifest,
): DesiredResource[] {
  const value = forProvider ?? lastForProvider(observed, key);
  return value === undefined ? [] : [{ key, manifest: make(value) }];
}

/**
 * Keys whose observed ARN names the estate's account: the resources it creates (its own cluster, the panel and
 * controls). A shared cluster (routing.arc.clusterArn) may belong to another account (ARC clusters can be shared
 * across accounts), so its ARN is never read for the account.
 */
const accountSources = (ctx: ComposeContext, sharedCluster: boolean): string[] => [
  ...(sharedCluster ? [] : [ARC.cluster]),
  ARC.controlPanel,
  ...ctx.regions.map(routingControlKey),
];

/** The recovery group, a cell per region, and a resource set and readiness check per checked resource type. */
export function readinessResources(ctx: ComposeContext, observed: ObservedView, inputs: ReadinessInputs): DesiredResource[] {
  const names = readinessNames(ctx);
  const account = observedAccount(observed, accountSources(ctx, inputs.sharedCluster));
  const cellOf = (region: string) => (account === undefined ? undefined : cellArn(account, names.cell(region)));
  const resources: DesiredResource[] = [];
  for (const region of ctx.regions) {
    const name = names.cell(region);
    resources.push({
      key: readinessCellKey(region),
      manifest: Cell.manifest({
        metadata: ctx.metadata(READINESS.cell, region, name),
        spec: { forProvider: { tags: ctx.tags({ Name: name }) } },
      }),
    });
  }
  const cells = ctx.regions.map(cellOf);
  resources.push(
    ...kept(
      observed,
      READINESS.recoveryGroup,
      cells.every((c) => c !== undefined) ? { cells, tags: ctx.tags({ Name: names.recoveryGroup }) } : undefined,
      (forProvider) =>
        RecoveryGroup.manifest({
          metadata: ctx.metadata(READINESS.recoveryGroup, undefined, names.recoveryGroup),
          spec: { forProvider },
        }),
    ),
  );
  for (const set of setSpecs(ctx, observed, account, inputs)) {
    const setName = names.resourceSet(set.slug);
    const members = ctx.regions.map((r) => ({ arn: set.arnIn(r), cell: cellOf(r) }));
    const complete = members.every((m) => m.arn !== undefined && m.cell !== undefined);
    resources.push(
      ...kept(
        observed,
        readinessSetKey(set.slug),
        complete
          ? {
              resourceSetType: set.type,
              resources: members.map((m) => ({ resourceArn: m.arn!, readinessScopes: [m.cell!] })),
              tags: ctx.tags({ Name: setName }),
            }
          : undefined,
        (forProvider) =>
          ResourceSet.manifest({
            metadata: ctx.metadata(READINESS.resourceSet, undefined, setName),
            spec: { forProvider: forProvider as never },
          }),
      ),
    );
    // A readiness check names its resource set (no reference): it waits until the set exists, then stays.
    if (observed.exists(readinessSetKey(set.slug))) {
      const checkName = names.check(set.slug);
      resources.push({
        key: readinessCheckKey(set.slug),
        manifest: ReadinessCheck.manifest({
          metadata: ctx.metadata(READINESS.check, undefined, checkName),
          spec: { forProvider: { resourceSetName: setName, tags: ctx.tags({ Name: checkName }) } },
        }),
      });
    }
  }
  return resources;
}

/** Component (and key prefix) of each region's observed readiness report; a region's key is readinessReportKey(region). */
export const READINESS_REPORT = 'readiness-report';
/** Composition key of a region's readiness report. */
export const readinessReportKey = (region: string): string => `${READINESS_REPORT}-${region}`;

/**
 * Each region's readiness report, observed only (managementPolicies Observe: never created, changed or deleted): the
 * String parameter the region's lag monitor writes in its own region (lambda/lag-monitor/readiness.ts), named by the
 * lag monitor's state prefix (the provider imports an ssm Parameter by its name: NameAsIdentifier,
 * config/externalname.go), read from status.atProvider.description: the provider puts a parameter's value in status only
 * when the value was set in forProvider (terraform-provider-aws resourceParameterRead fills insecure_value only when the
 * state holds one, else the sensitive value, which upjet routes to a connection secret), so the monitor writes the
 * report as the parameter's Description too, which the read always sets. Informational: absent until the monitor's first
 * run (or without monitoring) and unobservable while its region is lost, so it gates no readiness.
 */
export function readinessReports(ctx: ComposeContext): DesiredResource[] {
  const name = readinessParameterName(lagStatePrefix(ctx));
  return ctx.regions.map((region) => {
    const metadata = ctx.metadata(READINESS_REPORT, region, name);
    return {
      key: readinessReportKey(region),
      region,
      manifest: Parameter.manifest({
        metadata: { ...metadata, annotations: { ...metadata.annotations, [INFORMATIONAL]: 'true' } },
        spec: { managementPolicies: [ParameterSpecManagementPolicies.OBSERVE], forProvider: { region } },
      }),
    };
  });
}

/**
 * How far in the future (by the function's clock) a report's checkedAt may be and still be taken: clocks of the Lambda
 * and the function's pod differ by seconds, not minutes. A later checkedAt (a skewed clock, a hand-written value) would
 * stay fresh for as long as it is ahead, so it is no report.
 */
export const READINESS_CLOCK_SKEW_SECONDS = 300;

/**
 * A region's readiness in the claim's status: what its lag monitor last reported, and when that turns stale; or
 * UNKNOWN with the reason when there is no report to show.
 */
export interface RegionReadiness {
  /** The reported readiness, or UNKNOWN with a reason when there is no usable report. */
  readonly state: Readiness;
  /** When the readiness API's answer was read (ISO 8601); with a usable report. */
  readonly checkedAt?: string;
  /** checkedAt plus READINESS_STALE_AFTER_SECONDS (ISO 8601): a report not renewed by then is no longer current. */
  readonly staleAfter?: string;
  /** Why there is no usable report (state UNKNOWN). */
  readonly reason?: string;
}

/**
 * Each region's readiness as its lag monitor last reported it for the region's own cell, with the time it turns stale
 * (a pure function of the report); a region without a usable report (none observed yet, unreadable, another cell's,
 * dated in the future) is UNKNOWN with the reason. `now` (the function's clock) is used only to refuse a checkedAt
 * more than READINESS_CLOCK_SKEW_SECONDS ahead of it: a report's own status never depends on it otherwise.
 */
export function reportedReadiness(ctx: ComposeContext, observed: ObservedView, now?: Date): Record<string, RegionReadiness> {
  if (observed.planning) return {};
  const names = readinessNames(ctx);
  const out: Record<string, RegionReadiness> = {};
  const unknown = (reason: string): RegionReadiness => ({ state: 'UNKNOWN', reason });
  for (const region of ctx.regions) {
    const key = readinessReportKey(region);
    const description = observed.field(key, 'status.atProvider.description');
    if (description === undefined || description === '') {
      out[region] = unknown(
        observed.exists(key)
          ? `the report parameter ${readinessParameterName(lagStatePrefix(ctx))} in ${region} has no report (its lag monitor has not written one yet)`
          : `no report observed yet: the lag monitor of ${region} has not written ${readinessParameterName(lagStatePrefix(ctx))}, or the provider has not read it`,
      );
      continue;
    }
    const report = parseReadinessReport(description);
    if (report === undefined) {
      out[region] = unknown(`the report in ${readinessParameterName(lagStatePrefix(ctx))} (${region}) is not a readiness report`);
      continue;
    }
    if (report.cell !== names.cell(region)) {
      out[region] = unknown(`the report in ${region} is of cell ${report.cell}, not of ${names.cell(region)}`);
      continue;
    }
    const checked = Date.parse(report.checkedAt);
    if (now !== undefined && checked > now.getTime() + READINESS_CLOCK_SKEW_SECONDS * 1000) {
      out[region] = unknown(
        `the report in ${region} is dated ${report.checkedAt}, more than ${READINESS_CLOCK_SKEW_SECONDS / 60} minutes after ${now.toISOString()} (a skewed clock or a hand-written value)`,
      );
      continue;
    }
    const staleAfter = new Date(checked + READINESS_STALE_AFTER_SECONDS * 1000).toISOString();
    out[region] = { state: report.readiness, checkedAt: report.checkedAt, staleAfter };
  }
  return out;
}

/** Each region's cell name, once its Cell is Ready (the claim's status.regions.<region>.readinessCell). */
export function readyCells(ctx: ComposeContext, observed: ObservedView): Record<string, string> {
  if (observed.planning) return {};
  const names = readinessNames(ctx);
  return Object.fromEntries(ctx.regions.filter((r) => observed.ready(readinessCellKey(r))).map((r) => [r, names.cell(r)]));
}
