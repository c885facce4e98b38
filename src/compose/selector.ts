/**
 * The selectors a composed resource uses to name another: the one place drplane writes `matchControllerRef` and
 * `matchLabels`. Labels come from ComposeContext.selector (estate, component, region).
 */
import type { ComposeContext } from './context.js';

/** A selector of a resource this composite composed, by component (and region, and further labels). */
export const own = (ctx: ComposeContext, component: string, region?: string, labels: Record<string, string> = {}) =>
  ownLabelled({ ...ctx.selector(component, region), ...labels });

/** A selector of a resource this composite composed, by exactly these labels (e.g. all of a composed resource's). */
export const ownLabelled = (labels: Record<string, string>) => ({ matchControllerRef: true, matchLabels: labels });

/** A selector of a resource of this composite (own, ownLabelled). */
export type OwnSelector = ReturnType<typeof ownLabelled>;

/**
 * A selector of a resource another composite of the same estate composed (the network's subnets and security groups
 * for the service and the database): by the estate's labels, without the controller reference.
 */
export const ofEstate = (ctx: ComposeContext, component: string, region?: string) => ({
  matchLabels: ctx.selector(component, region),
});
