/**
 * The lag monitor's readiness report (routing.arc.readiness): each run reads its region's ARC readiness cell
 * (GetCellReadinessSummary, in the readiness API's region) and reports it in a String parameter of its own region
 * (readinessParameterName under the state prefix), which the routing composite observes (managementPolicies Observe)
 * and copies into the claim's status.regions.<region>.readiness.
 *
 * Each region's monitor reports only its own region's cell, in its own region: losing a region loses that region's
 * report only (it goes past its staleAfter in the claim), and losing the readiness API's region stops every report (all stale), never
 * a wrong value. A report is written when the readiness changed or the last one is READINESS_REPORT_PERIOD_SECONDS
 * old; it carries the time the API's answer was read (not the run's start: a slow read would make the report look
 * older than it is, and the period's clock runs from the same time), so its age says how current it is.
 *
 * A failed read or write is in the run's summary and log and in the ReadinessReportErrors metric (index.ts), and does
 * not fail the run: readiness is advice, its API lives in one region, and failing every region's monitor (and its
 * Errors alarm) when that region is out would hide the lag alerts the monitor exists for. Nothing is written after a
 * failed read: the last report stays as it was and goes past its staleAfter in the claim.
 *
 * The parameter carries the estate's tags (DRPLANE_REPORT_TAGS): given with Tags when the monitor creates it (a
 * PutParameter without Overwrite; botocore ssm PutParameterRequest.Tags: "To add tags to an existing Systems Manager
 * parameter, use the AddTagsToResource operation", and moto 5.2.5 refuses Tags with Overwrite as AWS does), and added
 * again with AddTagsToResource after each rewrite, so a tag added to the claim reaches it (a tag removed from the claim
 * stays on it). The monitor creates the parameter, not Crossplane (the routing composite only observes it), so it
 * outlives the estate: deleting the estate deletes the monitor, never this parameter (docs/gitops.md, Uninstall).
 */
import { Route53RecoveryReadinessClient } from '@aws-sdk/client-route53-recovery-readiness';
import { AddTagsToResourceCommand, ParameterAlreadyExists, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import {
  READINESS_REPORT_PERIOD_SECONDS,
  formatReadinessReport,
  parseReadinessReport,
  readCellSummary,
  readinessParameterName,
  type Readiness,
} from '../shared/readiness.js';
import type { CallBudget } from '../shared/limits.js';
import { describeError } from '../shared/logger.js';

/** What a run did about readiness (in its summary). */
export interface ReadinessResult {
  readonly cell: string;
  /** The readiness read this run; undefined when the read failed. */
  readonly readiness?: Readiness;
  /** When the readiness API's answer was read (the report's checkedAt when written); undefined when the read failed. */
  readonly checkedAt?: string;
  /** True when the report parameter was written this run. */
  readonly reported: boolean;
  /** True when this run created the report parameter (with the estate's tags). */
  readonly created?: boolean;
  /** What failed (the read, the write or the tagging), by the API's error name. */
  readonly error?: string;
}

/**
 * Reads `cell` and writes its report when due. `previous` is the report parameter's value as the run read it with its
 * state (undefined: none yet, or the state could not be read; then the report is written, created if it does not exist).
 * `now` is read once the readiness API has answered: that time is the report's checkedAt.
 */
export async function reportReadiness(args: {
  readonly cell: string;
  readonly statePrefix: string;
  readonly previous: string | undefined;
  readonly now: () => Date;
  readonly tags: Readonly<Record<string, string>>;
  readonly readinessClient: Route53RecoveryReadinessClient;
  readonly ssm: SSMClient;
  readonly budget: CallBudget;
}): Promise<ReadinessResult> {
  const { cell, budget } = args;
  let readiness: Readiness;
  try {
    readiness = (await readCellSummary(args.readinessClient, cell, budget.call)).readiness;
  } catch (err) {
    return { cell, reported: false, error: `GetCellReadinessSummary: ${describeError(err).name}` };
  }
  const read = args.now();
  const checkedAt = read.toISOString();
  const last = parseReadinessReport(args.previous);
  const due =
    last === undefined ||
    last.cell !== cell ||
    last.readiness !== readiness ||
    read.getTime() - Date.parse(last.checkedAt) >= READINESS_REPORT_PERIOD_SECONDS * 1000 ||
    // A report dated after this read (another clock, a hand-written value) would never come due by age.
    Date.parse(last.checkedAt) > read.getTime();
  if (!due) return { cell, readiness, checkedAt, reported: false };
  const report = formatReadinessReport({ cell, readiness, checkedAt });
  const Name = readinessParameterName(args.statePrefix);
  const Tags = Object.entries(args.tags).map(([Key, Value]) => ({ Key, Value }));
  const put = (create: boolean) =>
    args.ssm.send(
      new PutParameterCommand({
        Name,
        Value: report,
        // The provider puts the Description in status.atProvider.description on every read, never the value of a
        // parameter it did not set (the value goes to a connection secret), so the composition reads the Description
        // (1024 characters at most, botocore ssm ParameterDescription; a report is under 200). String, not SecureString:
        // a readiness state is no secret, and the Description is never encrypted anyway.
        Description: report,
        Type: 'String',
        Tier: 'Standard',
        // Tags only on create: PutParameter refuses Tags with Overwrite.
        ...(create ? (Tags.length > 0 ? { Tags } : {}) : { Overwrite: true }),
      }),
      budget.call(),
    );
  let created = false;
  try {
    if (args.previous === undefined) {
      try {
        await put(true);
        created = true;
      } catch (err) {
        // It exists (the state read failed, or it was written since): overwrite it as any other run does.
        if (!(err instanceof ParameterAlreadyExists)) throw err;
        await put(false);
      }
    } else {
      await put(false);
    }
  } catch (err) {
    return { cell, readiness, checkedAt, reported: false, error: `PutParameter: ${describeError(err).name}` };
  }
  if (!created && Tags.length > 0) {
    try {
      await args.ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: Name, Tags }), budget.call());
    } catch (err) {
      return { cell, readiness, checkedAt, reported: true, error: `AddTagsToResource: ${describeError(err).name}` };
    }
  }
  return { cell, readiness, checkedAt, reported: true, ...(created ? { created } : {}) };
}
