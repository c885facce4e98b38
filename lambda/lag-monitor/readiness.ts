/**
 * The lag monitor's readiness report (routing.arc.readiness): each run reads its region's ARC readiness cell
 * (GetCellReadinessSummary, in the readiness API's region) and reports it in a String parameter of its own region
 * (readinessParameterName under the state prefix), which the routing composite observes (managementPolicies Observe)
 * and copies into the claim's status.regions.<region>.readiness.
 *
 * Each region's monitor reports only its own region's cell, in its own region: losing a region loses that region's
 * report only (it goes past its staleAfter in the claim), and losing the readiness API's region stops every report (all stale), never
 * a wrong value. A report is written when the readiness changed or the last one is READINESS_REPORT_PERIOD_SECONDS
 * old; it carries the time the API answered, so its age says how current it is.
 *
 * A failed read or write is in the run's summary and log, and does not fail the run: readiness is advice, its API lives
 * in one region, and failing every region's monitor (and its Errors alarm) when that region is out would hide the lag
 * alerts the monitor exists for. The report then goes past its staleAfter in the claim.
 */
import { Route53RecoveryReadinessClient } from '@aws-sdk/client-route53-recovery-readiness';
import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
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
  /** True when the report parameter was written this run. */
  readonly reported: boolean;
  /** What failed (the read or the write), by the API's error name. */
  readonly error?: string;
}

/**
 * Reads `cell` and writes its report when due. `previous` is the report parameter's value as the run read it with its
 * state (undefined: none yet, or the state could not be read, and then the report is written).
 */
export async function reportReadiness(args: {
  readonly cell: string;
  readonly statePrefix: string;
  readonly previous: string | undefined;
  readonly at: Date;
  readonly readinessClient: Route53RecoveryReadinessClient;
  readonly ssm: SSMClient;
  readonly budget: CallBudget;
}): Promise<ReadinessResult> {
  const { cell, at, budget } = args;
  let readiness: Readiness;
  try {
    readiness = (await readCellSummary(args.readinessClient, cell, budget.call)).readiness;
  } catch (err) {
    return { cell, reported: false, error: `GetCellReadinessSummary: ${describeError(err).name}` };
  }
  const last = parseReadinessReport(args.previous);
  const due =
    last === undefined ||
    last.cell !== cell ||
    last.readiness !== readiness ||
    at.getTime() - Date.parse(last.checkedAt) >= READINESS_REPORT_PERIOD_SECONDS * 1000;
  if (!due) return { cell, readiness, reported: false };
  const report = formatReadinessReport({ cell, readiness, checkedAt: at.toISOString() });
  try {
    await args.ssm.send(
      new PutParameterCommand({
        Name: readinessParameterName(args.statePrefix),
        Value: report,
        // The provider puts the Description in status.atProvider.description on every read, never the value of a
        // parameter it did not set (the value goes to a connection secret), so the composition reads the Description
        // (1024 characters at most, botocore ssm ParameterDescription; a report is under 200). String, not SecureString:
        // a readiness state is no secret, and the Description is never encrypted anyway.
        Description: report,
        Type: 'String',
        Tier: 'Standard',
        Overwrite: true,
      }),
      budget.call(),
    );
  } catch (err) {
    return { cell, readiness, reported: false, error: `PutParameter: ${describeError(err).name}` };
  }
  return { cell, readiness, reported: true };
}
