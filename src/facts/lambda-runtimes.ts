/**
 * AWS Lambda Node.js runtimes and their deprecation schedule, from the lifecycle data of the pinned cfn-lint
 * (src/facts/generated/lambda-runtimes.json, `npm run facts`; cfn-lint keeps it in step with AWS's table).
 *
 * Lambda deprecates a runtime in three steps: on `deprecation` AWS stops patching it; from `blockCreate` no new
 * function can use it (CreateFunction fails, so a new region or a recreated estate fails); from `blockUpdate` no
 * existing function on it can change (code, configuration or runtime other than moving off it). A DR estate must be
 * able to create and update its functions in every region at any time, so drplane accepts a runtime only before its
 * deprecation and warns ahead of it.
 *
 * A new runtime reaches the data with `npm run facts -- --update`; add it to LAMBDA_RUNTIMES in src/api/sections.ts
 * once it is generally available.
 */
import data from './generated/lambda-runtimes.json' with { type: 'json' };
import { type FactsSource, describeSource } from './source.js';
import { daysUntil } from './days.js';

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
  /** The runtime AWS names as its successor, if any. */
  readonly successor?: string;
  /** Where the dates come from: "cfn-lint 1.58.0 data of 2026-10-20". */
  readonly source: string;
}

interface RuntimeFacts {
  readonly source: FactsSource;
  readonly runtimes: Readonly<
    Record<
      string,
      { deprecation: string | null; blockCreate: string | null; blockUpdate: string | null; successor: string | null }
    >
  >;
}

const FACTS = data as RuntimeFacts;

/** Node.js runtimes the data gives all three dates for, newest first. */
export const LAMBDA_NODEJS_RUNTIMES: readonly LambdaRuntime[] = Object.entries(FACTS.runtimes)
  .flatMap(([runtime, r]): LambdaRuntime[] =>
    r.deprecation && r.blockCreate && r.blockUpdate
      ? [
          {
            runtime,
            deprecation: r.deprecation,
            blockCreate: r.blockCreate,
            blockUpdate: r.blockUpdate,
            ...(r.successor ? { successor: r.successor } : {}),
            source: describeSource(FACTS.source),
          },
        ]
      : [],
  )
  .sort((a, b) => b.deprecation.localeCompare(a.deprecation) || b.runtime.localeCompare(a.runtime));

/** "AWS refuses to create functions on it since/from <day> and to update them since/from <day>", as of `today`. */
export function blocksOf(row: LambdaRuntime, today: Date): string {
  const when = (day: string) => (daysUntil(day, today) <= 0 ? `since ${day}` : `from ${day}`);
  return `AWS refuses to create functions on it ${when(row.blockCreate)} and to update them ${when(row.blockUpdate)}`;
}

/** True from the runtime's deprecation day on. */
export const isDeprecated = (row: LambdaRuntime, today: Date): boolean => daysUntil(row.deprecation, today) <= 0;

/** The row of a runtime, if the data knows it. */
export const findRuntime = (runtime: string): LambdaRuntime | undefined =>
  LAMBDA_NODEJS_RUNTIMES.find((row) => row.runtime === runtime);
