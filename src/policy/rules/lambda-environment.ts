/**
 * Lambda's limit on a function's environment: "Function environment variables: 4 KB, for all environment variables
 * associated with the function, combined" (AWS Lambda quotas). A function over it is refused by CreateFunction and
 * UpdateFunctionConfiguration, so the estate would never get its Lambda. The lag monitor carries the estate's tags
 * (DRPLANE_REPORT_TAGS, with spec.arcReadiness), so a claim with many long tags can push it over.
 *
 * How the size is counted, as AWS counts it: for every variable of spec.forProvider.environment (the provider's
 * `environment[].variables`; compose renders one block), the UTF-8 bytes of its name plus the UTF-8 bytes of its value,
 * summed over all variables. Values known only at run time (an SNS topic or KMS key ARN before creation) are counted at
 * the length of the placeholder the plan renders for them (`<path of key, known after creation>`, src/compose/plan.ts);
 * the plan is the cached one policy also reads the names from (src/policy/estate-names.ts), keyed by the one value of
 * spec.objectives a Lambda reads (the RPO guard in the orchestrators' environment), so the size is the claim's own.
 *
 * The fix the message gives follows the biggest variable: the estate's tags for DRPLANE_REPORT_TAGS, the replicated
 * stores for DRPLANE_STORES, the regions and names for the rest (ADVICE).
 */
import { LAG_MONITOR_ENV } from '../../../lambda/shared/env-contract.js';
import { EXTERNAL_NAME } from '../../compose/context.js';
import type { Manifest } from '../../compose/types.js';
import { estatePlan } from '../estate-names.js';
import { type PolicyRule, problem } from '../types.js';

/** AWS Lambda's combined size limit of a function's environment variables, in bytes. */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/** How many of the biggest variables the message names. */
const BIGGEST = 3;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** The variables of a rendered Lambda Function (environment as one block or as the provider's list of blocks). */
export function environmentVariables(manifest: Manifest): Record<string, string> {
  const forProvider = (manifest.spec as { forProvider?: { environment?: unknown } } | undefined)?.forProvider;
  const env = forProvider?.environment;
  const blocks = Array.isArray(env) ? env : env === undefined ? [] : [env];
  const out: Record<string, string> = {};
  for (const block of blocks) {
    const variables = (block as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
    for (const [name, value] of Object.entries(variables)) out[name] = String(value);
  }
  return out;
}

/** Combined size of a function's variables: name bytes plus value bytes, summed. */
export const environmentBytes = (variables: Record<string, string>): number =>
  Object.entries(variables).reduce((sum, [name, value]) => sum + bytes(name) + bytes(value), 0);

/** The function's AWS name (its external name), if compose set one. */
export const functionName = (m: Manifest): string | undefined =>
  (m.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[EXTERNAL_NAME];

/** How to make a variable smaller: the claim field it grows with (where the problem is reported) and what to change. */
interface Advice {
  readonly field?: string;
  readonly fix: string;
}

/**
 * The variables that grow with a claim field the claim's author chooses freely, and what shrinks them. Every other
 * variable is rendered by drplane from the estate's regions and names ({@link adviceFor}'s default).
 */
const ADVICE: Readonly<Record<string, Advice>> = {
  [LAG_MONITOR_ENV.reportTags]: {
    field: 'spec.tags',
    fix: "it carries the estate's tags (ARC readiness reports are tagged with them): use fewer or shorter tags in spec.tags",
  },
  [LAG_MONITOR_ENV.stores]: {
    fix:
      'it lists every replication the monitor watches in its region (each table and bucket per pair of regions, and the ' +
      'Aurora cluster): use fewer tables or buckets (spec.tables, spec.buckets) or shorter names, or fewer regions',
  },
};

/** What to change so that `variable` shrinks. */
const adviceFor = (variable: string): Advice =>
  ADVICE[variable] ?? {
    fix:
      "drplane renders it from the estate's regions and names: fewer regions (spec.regions.secondaries) or a shorter " +
      'metadata.name or spec.environment make it smaller',
  };

const isLambdaFunction = (m: Manifest): boolean =>
  m.kind === 'Function' && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('lambda.');

export const lambdaEnvironmentSizeRule: PolicyRule = {
  id: 'lambda.environment-too-large',
  severity: 'error',
  summary: `The environment variables of every Lambda function the plan renders must total at most ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes (names plus values, UTF-8), AWS Lambda's limit.`,
  check: (spec, ctx) =>
    estatePlan(spec, ctx.claim)
      .filter((p) => isLambdaFunction(p.manifest))
      .flatMap((p) => {
        const variables = environmentVariables(p.manifest);
        const size = environmentBytes(variables);
        if (size <= LAMBDA_ENVIRONMENT_MAX_BYTES) return [];
        const name = functionName(p.manifest) ?? p.key;
        // Biggest first; ties by name, so the message does not depend on the order compose writes the variables in.
        const ranked = Object.entries(variables)
          .map(([key, value]) => ({ key, size: bytes(key) + bytes(value) }))
          .sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const biggest = ranked
          .slice(0, BIGGEST)
          .map((v) => `${v.key} (${v.size} bytes)`)
          .join(', ');
        const advice = adviceFor(ranked[0]!.key);
        return [
          problem(
            lambdaEnvironmentSizeRule,
            advice.field ?? p.section ?? 'spec',
            `the Lambda function ${name}${p.region ? ` in ${p.region}` : ''} would have ${size} bytes of environment variables, ` +
              `over AWS Lambda's ${LAMBDA_ENVIRONMENT_MAX_BYTES}-byte limit, so AWS refuses it; the biggest are ${biggest}. ` +
              `${ranked[0]!.key}: ${advice.fix}`,
          ),
        ];
      }),
};

export const LAMBDA_RULES: readonly PolicyRule[] = [lambdaEnvironmentSizeRule];
