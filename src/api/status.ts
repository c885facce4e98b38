/**
 * Status fields the estate's and the primitives' status schemas share (src/api/claim.ts, src/api/estate.ts). A leaf:
 * the claim schema imports the primitives' APIs (src/primitives/kinds.ts), whose schemas import estate.ts, so what
 * both need lives here and not in claim.ts.
 */
import { z } from 'zod';

/** The last change of activeRegion, as the function observed it (estate and primitives alike). */
export const lastFailover = () =>
  z
    .object({
      from: z.string().optional().describe('Region that was active before.'),
      to: z.string().optional().describe('Region that became active.'),
      at: z.string().optional().describe('When the change of activeRegion was observed (RFC 3339).'),
    })
    .optional()
    .describe('The last change of activeRegion.');

/**
 * A region's Route 53 ARC readiness as its lag monitor last reported it (routing.arc.readiness): the monitor reads the
 * region's cell from the readiness API every run and writes the result to an SSM parameter of its region, which the
 * routing composite observes. Needs the claim's monitoring section (the lag monitor runs there).
 */
export const readinessStatus = () =>
  z
    .object({
      state: z
        .enum(['READY', 'NOT_READY', 'UNKNOWN', 'NOT_AUTHORIZED'])
        .describe(
          "The cell's readiness as the ARC readiness API answered (GetCellReadinessSummary); UNKNOWN with a reason when there is no usable report.",
        ),
      checkedAt: z
        .string()
        .optional()
        .describe('When the readiness API answer was read (RFC 3339, UTC); absent without a usable report.'),
      staleAfter: z
        .string()
        .optional()
        .describe(
          'checkedAt plus 30 minutes (RFC 3339, UTC): a report not renewed by then is no longer current (the region, its lag monitor or the readiness API in us-west-2 is out, or monitoring was removed); drctl status asks the API itself.',
        ),
      reason: z
        .string()
        .optional()
        .describe(
          "Why the state is UNKNOWN without a report: none observed yet (before the lag monitor's first run, or while the region cannot be observed), an unreadable one, another cell's, or one dated more than 5 minutes after the function's clock (a skewed clock or a hand-written value).",
        ),
    })
    .optional()
    .describe(
      "This region's ARC readiness (routing.arc.readiness with monitoring) as its lag monitor last reported it, with the time and when it turns stale, or UNKNOWN with the reason. The report is an SSM parameter (/drplane/<estate id>/lag-state/arc-readiness) the lag monitor creates with the estate's tags; it is not deleted with the estate.",
    );
