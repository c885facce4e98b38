/**
 * The primitives XDRMonitoring watches beyond the replicated stores (each one's `watch` hook, src/primitives/types.ts
 * Watch), in the estate's order. The registry imports this folder, so the registry is read inside these functions,
 * never when the module loads.
 */
import { eachPrimitive } from '../registry.js';
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { ComposeContext } from '../../compose/context.js';
import type { CrossValues } from '../../compose/estate.js';
import type { SectionOf, Watch } from '../types.js';
import type { DRMonitoringSpec } from './schema.js';

/** Every primitive's watch hook. */
export const watches = (): Watch[] => eachPrimitive((_, p) => p.watch).filter((w): w is Watch => w !== undefined);

/** The watch hooks of the primitives XDRMonitoring's spec says the estate has. */
export const watchedBy = (spec: DRMonitoringSpec): Watch[] => watches().filter((w) => w.watched(spec));

/** The fields of XDRMonitoring's spec every watch passes (its monitoringSpec), in the estate's order. */
export const watchedSpec = (
  claim: DisasterRecoverySpec,
  cross: CrossValues,
  ctx: ComposeContext,
): Partial<SectionOf<'XDRMonitoring'>> =>
  watches().reduce<Partial<SectionOf<'XDRMonitoring'>>>((spec, w) => ({ ...spec, ...w.monitoringSpec(claim, cross, ctx) }), {});
