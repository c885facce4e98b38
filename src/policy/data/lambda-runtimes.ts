/**
 * AWS Lambda Node.js runtimes and their deprecation schedule, as AWS publishes it.
 *
 * Lambda deprecates a runtime in three steps: on `deprecation` AWS stops patching it; from `blockCreate` no new
 * function can use it (CreateFunction fails, so a new region or a recreated estate fails); from `blockUpdate` no
 * existing function on it can change (code, configuration or runtime other than moving off it). A DR estate must be
 * able to create and update its functions in every region at any time, so drplane accepts a runtime only before its
 * deprecation and warns ahead of it.
 *
 * Updating: compare with the source, add the new runtime (and to LAMBDA_RUNTIMES in src/api/sections.ts once it is
 * generally available), keep retired rows so `drctl validate` can say why a claim that still names one is refused,
 * and set `checked` to the day you did it.
 */

import { daysUntil } from '../days.js';

/** One Node.js runtime and its deprecation dates (YYYY-MM-DD). */
export interface LambdaRuntime {
  /** Runtime identifier as the Lambda API and the claim write it. */
  readonly runtime: string;
  /** Day AWS stops security patches and support for the runtime. */
  readonly deprecation: string;
  /** Day from which CreateFunction refuses the runtime. */
  readonly blockCreate: string;
  /** Day from which UpdateFunctionCode/UpdateFunctionConfiguration refuse functions on the runtime. */
  readonly blockUpdate: string;
  /** AWS document the dates come from. */
  readonly source: string;
  /** Day (YYYY-MM-DD) the row was last compared with its source. */
  readonly checked: string;
}

const NODEJS_PAGE =
  'AWS Lambda Developer Guide, "Building Lambda functions with Node.js", supported runtimes table (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html)';

/** Node.js runtimes, newest first. */
export const LAMBDA_NODEJS_RUNTIMES: readonly LambdaRuntime[] = [
  {
    runtime: 'nodejs24.x',
    deprecation: '2028-04-30',
    blockCreate: '2028-06-01',
    blockUpdate: '2028-07-01',
    source: NODEJS_PAGE,
    checked: '2026-11-23',
  },
  {
    runtime: 'nodejs22.x',
    deprecation: '2027-04-30',
    blockCreate: '2027-06-01',
    blockUpdate: '2027-07-01',
    source: NODEJS_PAGE,
    checked: '2026-11-23',
  },
  {
    runtime: 'nodejs20.x',
    deprecation: '2026-04-30',
    blockCreate: '2026-08-31',
    blockUpdate: '2026-09-30',
    source: NODEJS_PAGE,
    checked: '2026-11-23',
  },
];

/** "AWS refuses to create functions on it since/from <day> and to update them since/from <day>", as of `today`. */
export function blocksOf(row: LambdaRuntime, today: Date): string {
  const when = (day: string) => (daysUntil(day, today) <= 0 ? `since ${day}` : `from ${day}`);
  return `AWS refuses to create functions on it ${when(row.blockCreate)} and to update them ${when(row.blockUpdate)}`;
}

/** True from the runtime's deprecation day on. */
export const isDeprecated = (row: LambdaRuntime, today: Date): boolean => daysUntil(row.deprecation, today) <= 0;

/** The row of a runtime, if drplane knows it. */
export const findRuntime = (runtime: string): LambdaRuntime | undefined =>
  LAMBDA_NODEJS_RUNTIMES.find((row) => row.runtime === runtime);
