/**
 * `drctl failover --apply` with armed routing controls (routing.control arc): the routing controls of a claim's estate
 * as its XFailoverRouting reports them (each region's routing control ARN, the ARC cluster's regional endpoints), and
 * the move, flipped through those endpoints with the orchestrator's own code (lambda/failover/arc.ts), never through
 * the control-configuration API. Credentials: the AWS SDK's default chain (the operator's).
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import {
  arcClients,
  describeMove,
  moveStates,
  updateStates,
  type ArcConfig,
  type ArcClientFactory,
} from '../../lambda/failover/arc.js';
import { GROUP, VERSION } from '../api/claim.js';
import { PRIMITIVE_APIS } from '../primitives/kinds.js';
import { CLAIM_PLURAL, ClusterError } from './claims.js';

type Ref = { kind?: string; name?: string };
type Obj = {
  spec?: { resourceRef?: Ref; resourceRefs?: Ref[]; crossplane?: { resourceRefs?: Ref[] } };
  status?: { regions?: Record<string, { routingControlArn?: unknown }>; arcEndpoints?: unknown };
};

/** The estate's ARC controls from its XFailoverRouting's status; throws ClusterError naming what is missing. */
export async function estateArc(kc: KubeConfig, namespace: string, name: string): Promise<ArcConfig> {
  const api = kc.makeApiClient(CustomObjectsApi);
  const get = async (what: string, read: () => Promise<unknown>): Promise<Obj> => {
    try {
      return (await read()) as Obj;
    } catch (err) {
      throw new ClusterError(`cannot read ${what}: ${(err as { code?: number }).code ?? (err as Error).message}`);
    }
  };
  const claim = await get(`DisasterRecovery ${namespace}/${name}`, () =>
    api.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: CLAIM_PLURAL, name }),
  );
  const xrName = claim.spec?.resourceRef?.name;
  if (!xrName) throw new ClusterError(`DisasterRecovery ${namespace}/${name} has no composite yet (spec.resourceRef)`);
  const xr = await get(`XDisasterRecovery ${xrName}`, () =>
    api.getClusterCustomObject({ group: GROUP, version: VERSION, plural: 'xdisasterrecoveries', name: xrName }),
  );
  const routingName = (
    (xr.spec?.crossplane?.resourceRefs ?? xr.spec?.resourceRefs ?? []) as { kind?: string; name?: string }[]
  ).find((r) => r.kind === PRIMITIVE_APIS.XFailoverRouting.kind)?.name;
  if (!routingName) throw new ClusterError(`XDisasterRecovery ${xrName} has no XFailoverRouting`);
  const routing = await get(`XFailoverRouting ${routingName}`, () =>
    api.getClusterCustomObject({
      group: GROUP,
      version: VERSION,
      plural: PRIMITIVE_APIS.XFailoverRouting.plural,
      name: routingName,
    }),
  );
  const regions = routing.status?.regions ?? {};
  const controls = Object.fromEntries(
    Object.entries(regions).flatMap(([r, v]) => (typeof v?.routingControlArn === 'string' ? [[r, v.routingControlArn]] : [])),
  );
  let endpoints: unknown;
  try {
    endpoints = JSON.parse(String(routing.status?.arcEndpoints ?? ''));
  } catch {
    endpoints = undefined;
  }
  if (!Array.isArray(endpoints) || endpoints.length === 0 || Object.keys(controls).length === 0)
    throw new ClusterError(
      `XFailoverRouting ${routingName} reports no ARC cluster endpoints or routing controls yet (status.arcEndpoints, status.regions.*.routingControlArn)`,
    );
  return { endpoints: endpoints as ArcConfig['endpoints'], controls };
}

/** What the flip did: the states set and the endpoint that answered. */
export interface ControlsMoved {
  readonly states: string;
  readonly endpoint: { readonly region: string; readonly endpoint: string };
  /** True when the states were already in effect (read back), so nothing was changed. */
  readonly alreadySet: boolean;
}

/** Sets `to` On and `from` Off through the first cluster endpoint that takes it (outside `from` first). */
export async function flipRoutingControls(
  arc: ArcConfig,
  from: string,
  to: string,
  clients: ArcClientFactory = arcClients(undefined),
): Promise<ControlsMoved> {
  const outside = arc.endpoints.findIndex((e) => e.region !== from);
  const out = await updateStates(arc, moveStates(arc, to, from), clients, { first: Math.max(0, outside) });
  return {
    states: describeMove(arc, to, from),
    endpoint: { region: out.endpoint.region, endpoint: out.endpoint.endpoint },
    alreadySet: out.alreadySet,
  };
}
