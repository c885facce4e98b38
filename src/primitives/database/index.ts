/** XGlobalDatabase: an Aurora global database over all regions of the estate. */
import type { ComposeContext } from '../../compose/context.js';
import type { ObservedView } from '../../compose/types.js';
import type { Primitive } from '../types.js';
import { clusterId, composeDatabase } from './compose.js';
import { databaseLines } from './cost.js';
import { DATABASE_RULES } from './rules.js';
import { previousGuardOf, type SwitchoverGuard, switchoverGuard } from './switchover.js';

/** The status of XGlobalDatabase: where the writer is, whether the clusters are paused, the endpoints per region. */
function databaseStatus(ctx: ComposeContext, observed: ObservedView, guard: SwitchoverGuard) {
  return {
    ...(guard.writerRegion ? { writerRegion: guard.writerRegion } : {}),
    ...(guard.adoptedWriterRegion ? { adoptedWriterRegion: guard.adoptedWriterRegion } : {}),
    ...(guard.paused ? { clustersPaused: true } : {}),
    regions: Object.fromEntries(
      ctx.regions.map((r) => {
        const key = `aurora-cluster-${r}`;
        const endpoint = observed.planning ? undefined : observed.field(key, 'status.atProvider.endpoint');
        const reader = observed.planning ? undefined : observed.field(key, 'status.atProvider.readerEndpoint');
        const arn = observed.planning ? undefined : observed.field(key, 'status.atProvider.arn');
        return [
          r,
          {
            ...(endpoint ? { endpoint } : {}),
            ...(reader ? { readerEndpoint: reader } : {}),
            ...(arn ? { arn } : {}),
            identifier: clusterId(ctx, r),
          },
        ];
      }),
    ),
  };
}

/** The database primitive. */
export const database: Primitive<'XGlobalDatabase'> = {
  key: 'database',
  holdsData: true,
  compose: (ctx, s, o, _options, xr) => {
    const guard = switchoverGuard(ctx, o, previousGuardOf(xr));
    return {
      resources: composeDatabase(ctx, s.database, o, guard.paused),
      status: databaseStatus(ctx, o, guard),
      events: guard.events,
    };
  },
  nested: (claim) => (claim.database ? [{ section: 'spec.database', spec: { database: claim.database } }] : []),
  cost: databaseLines,
  rules: DATABASE_RULES,
  // A drill's switchover moves the writer: it waits until the writer is in the target.
  drillChecks: (spec, target) =>
    spec.database
      ? [
          {
            id: 'writer',
            label: `the Aurora writer is in ${target}`,
            done: (o) => o.writerRegion === target,
            why: (o) => `the Aurora writer is in ${o.writerRegion ?? 'an unknown region'}, not ${target}`,
          },
        ]
      : [],
  // The claim's status.regions.<region>.databaseWriter and databaseReader.
  status: {
    claimRegion: (composite, region) => {
      const writer = composite.output(region, 'endpoint');
      const reader = composite.output(region, 'readerEndpoint');
      return { ...(writer ? { databaseWriter: writer } : {}), ...(reader ? { databaseReader: reader } : {}) };
    },
  },
};
