/** AWS names and ARNs of the ARC readiness resources (readiness.ts), apart so the lag monitor can name its cell. */
import type { ComposeContext } from '../../compose/context.js';

/** A readiness name: the estate's usual name, with every character other than a letter, digit or _ made _. */
const readinessName = (ctx: ComposeContext, logical: string, region?: string): string =>
  ctx.namer.name('arcReadiness', logical, region).replace(/[^A-Za-z0-9_]/g, '_');

/** The AWS names of the readiness resources. */
export const readinessNames = (ctx: ComposeContext) => ({
  cell: (region: string) => readinessName(ctx, 'cell', region),
  recoveryGroup: readinessName(ctx, 'recovery'),
  resourceSet: (slug: string) => readinessName(ctx, `set-${slug}`),
  check: (slug: string) => readinessName(ctx, `check-${slug}`),
});

/** ARN of a readiness cell (cfn-lint: arn:${Partition}:route53-recovery-readiness::${Account}:cell/.*). */
export const cellArn = (account: string, name: string): string => `arn:aws:route53-recovery-readiness::${account}:cell/${name}`;
