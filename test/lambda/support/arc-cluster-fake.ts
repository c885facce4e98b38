/**
 * FAKE — the Route 53 ARC cluster data plane (route53-recovery-cluster, API version 2019-12-02).
 *
 * moto 5.2.5 (test/requirements.txt) has no route53-recovery-cluster, so this fake stands in for it, following the
 * botocore service model (.venv/…/botocore/data/route53-recovery-cluster/2019-12-02/service-2.json) and the API
 * reference: JSON 1.0 over HTTP POST with `X-Amz-Target: ToggleCustomerAPI.<Operation>`, errors as
 * `{"__type": "<Shape>", "message": …}` with their HTTP status; the real AWS SDK client talks to it, so requests are
 * serialized and signed, and errors parsed, as in production.
 *
 * - One cluster, one HTTP server per regional endpoint (five by default), sharing one state table; routing controls
 *   start Off (as ARC creates them).
 * - UpdateRoutingControlStates: validates entries (RoutingControlState On|Off: ValidationException; unknown ARN:
 *   ResourceNotFoundException), then applies the safety rules to the resulting states as one transaction: the assertion
 *   rule (at least `atLeast` of the asserted controls On) and the gating rule (target controls change only while at
 *   least one gating control is On); a violation is ConflictException and changes nothing.
 * - GetRoutingControlState: the state of one control.
 * - An endpoint can be stopped (connection refused) or made to answer EndpointTemporarilyUnavailableException (503),
 *   as when its region is impaired, or made to apply a change and drop the connection before answering (lost answer).
 * - With `waitPeriodMs`, an update of a governed control within that time of the last change is ConflictException.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A safety rule of the fake's control panel. */
export interface FakeSafetyRules {
  /** Assertion rule: at least `atLeast` of `asserted` must be On after every change. */
  readonly assertion?: { readonly asserted: readonly string[]; readonly atLeast: number };
  /** Gating rule: `targets` change only while at least one of `gates` is On. */
  readonly gating?: { readonly gates: readonly string[]; readonly targets: readonly string[] };
  /**
   * The rules' wait period (RuleConfig WaitPeriodMs): for this long after a change to a control a rule governs, "any
   * request against the target routing controls will fail" (route53-recovery-control-config model) with
   * ConflictException. Unset: no wait period.
   */
  readonly waitPeriodMs?: number;
}

/** One call the fake answered. */
export interface FakeCall {
  readonly region: string;
  readonly operation: string;
  readonly status: number;
  readonly body: unknown;
}

/** What a test controls and observes of the fake cluster. */
export interface FakeArcCluster {
  /** The endpoints, as the cluster reports them (status.atProvider.clusterEndpoints). */
  readonly endpoints: { endpoint: string; region: string }[];
  /** Every routing control's state. */
  readonly states: Map<string, 'On' | 'Off'>;
  readonly calls: FakeCall[];
  /** Stops an endpoint's server: calls to it are refused. */
  stop(region: string): Promise<void>;
  /** Makes an endpoint answer EndpointTemporarilyUnavailableException (or not). */
  unavailable(region: string, on: boolean): void;
  /** Makes an endpoint apply updates and then drop the connection before answering (or not): an answer lost. */
  loseAnswers(region: string, on: boolean): void;
  /** Starts a rule's wait period now, as a change by someone else would. */
  changedNow(): void;
  close(): Promise<void>;
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'ap-southeast-2'];

/** Starts the fake: `controls` are the routing control ARNs (all Off), `rules` the control panel's safety rules. */
export async function startArcClusterFake(
  controls: readonly string[],
  rules: FakeSafetyRules = {},
  regions: readonly string[] = REGIONS,
): Promise<FakeArcCluster> {
  const states = new Map<string, 'On' | 'Off'>(controls.map((arn) => [arn, 'Off']));
  const calls: FakeCall[] = [];
  const down = new Set<string>();
  const losing = new Set<string>();
  let lastChange = -Infinity;
  const governed = new Set([
    ...(rules.assertion?.asserted ?? []),
    ...(rules.gating?.targets ?? []),
    ...(rules.gating?.gates ?? []),
  ]);
  const servers = new Map<string, Server>();

  const error = (res: ServerResponse, status: number, type: string, message: string, extra: object = {}) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ __type: type, message, ...extra }));
    return status;
  };

  const update = (region: string, res: ServerResponse, body: any): number => {
    const entries = body?.UpdateRoutingControlStateEntries;
    if (!Array.isArray(entries) || entries.length === 0)
      return error(res, 400, 'ValidationException', 'UpdateRoutingControlStateEntries is required');
    const next = new Map(states);
    for (const e of entries) {
      if (e?.RoutingControlState !== 'On' && e?.RoutingControlState !== 'Off')
        return error(res, 400, 'ValidationException', `RoutingControlState must be On or Off`);
      if (!states.has(e.RoutingControlArn))
        return error(res, 404, 'ResourceNotFoundException', 'routing control not found', {
          resourceId: String(e.RoutingControlArn),
          resourceType: 'RoutingControl',
        });
      next.set(e.RoutingControlArn, e.RoutingControlState);
    }
    const changed = [...next].filter(([arn, s]) => states.get(arn) !== s).map(([arn]) => arn);
    if (
      rules.waitPeriodMs !== undefined &&
      Date.now() - lastChange < rules.waitPeriodMs &&
      entries.some((e: { RoutingControlArn: string }) => governed.has(e.RoutingControlArn))
    )
      return error(res, 409, 'ConflictException', `a safety rule's wait period (${rules.waitPeriodMs} ms) has not passed`, {
        resourceId: 'wait-period',
        resourceType: 'SafetyRule',
      });
    if (
      rules.gating &&
      changed.some((arn) => rules.gating!.targets.includes(arn)) &&
      !rules.gating.gates.some((g) => states.get(g) === 'On')
    )
      return error(res, 409, 'ConflictException', 'the gating rule is not satisfied: no gating control is On', {
        resourceId: 'gating-rule',
        resourceType: 'SafetyRule',
      });
    if (rules.assertion && rules.assertion.asserted.filter((arn) => next.get(arn) === 'On').length < rules.assertion.atLeast)
      return error(
        res,
        409,
        'ConflictException',
        `the assertion rule is not satisfied: fewer than ${rules.assertion.atLeast} On`,
        {
          resourceId: 'assertion-rule',
          resourceType: 'SafetyRule',
        },
      );
    for (const [arn, s] of next) states.set(arn, s);
    if (changed.some((arn) => governed.has(arn))) lastChange = Date.now();
    if (losing.has(region)) {
      res.destroy();
      return 0;
    }
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end('{}');
    return 200;
  };

  const get = (res: ServerResponse, body: any): number => {
    const state = states.get(body?.RoutingControlArn);
    if (state === undefined)
      return error(res, 404, 'ResourceNotFoundException', 'routing control not found', {
        resourceId: String(body?.RoutingControlArn),
        resourceType: 'RoutingControl',
      });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ RoutingControlArn: body.RoutingControlArn, RoutingControlState: state }));
    return 200;
  };

  const handler = (region: string) => (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^ToggleCustomerAPI\./, '');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        body = undefined;
      }
      let status: number;
      if (!target.startsWith('ToggleCustomerAPI.') || req.method !== 'POST')
        status = error(res, 400, 'ValidationException', `unknown target ${target}`);
      else if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'))
        status = error(res, 403, 'AccessDeniedException', 'request is not signed');
      else if (down.has(region))
        status = error(res, 503, 'EndpointTemporarilyUnavailableException', `the ${region} endpoint is temporarily unavailable`);
      else if (operation === 'UpdateRoutingControlStates') status = update(region, res, body);
      else if (operation === 'GetRoutingControlState') status = get(res, body);
      else status = error(res, 400, 'ValidationException', `operation ${operation} is not faked`);
      calls.push({ region, operation, status, body });
    });
  };

  const endpoints: { endpoint: string; region: string }[] = [];
  for (const region of regions) {
    const server = createServer(handler(region));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(region, server);
    endpoints.push({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, region });
  }
  const stop = (region: string) =>
    new Promise<void>((resolve) => {
      const s = servers.get(region);
      servers.delete(region);
      if (!s) return resolve();
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    endpoints,
    states,
    calls,
    stop,
    unavailable: (region, on) => (on ? down.add(region) : down.delete(region)),
    loseAnswers: (region, on) => (on ? losing.add(region) : losing.delete(region)),
    changedNow: () => {
      lastChange = Date.now();
    },
    close: async () => {
      for (const region of [...servers.keys()]) await stop(region);
    },
  };
}
