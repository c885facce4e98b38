/**
 * FAKE — SwitchoverGlobalCluster and FailoverGlobalCluster for moto.
 *
 * moto 5.2.5 (test/requirements.txt) implements CreateGlobalCluster, CreateDBCluster with
 * GlobalClusterIdentifier and DescribeGlobalClusters, but not SwitchoverGlobalCluster or
 * FailoverGlobalCluster (its server answers HTTP 500 "not implemented"). Nothing real can run
 * those two here, so this fake stands in for exactly them, following the Amazon RDS API
 * reference:
 *
 * - request: GlobalClusterIdentifier and TargetDbClusterIdentifier (the secondary cluster's
 *   ARN); FailoverGlobalCluster also AllowDataLoss / Switchover, which may not both be set
 *   (InvalidParameterCombination);
 * - errors: GlobalClusterNotFoundFault (no such global cluster), DBClusterNotFoundFault (target
 *   is not a member), InvalidGlobalClusterStateFault (an operation is already pending/running),
 *   InvalidDBClusterStateFault (target already is the primary);
 * - takeover: FailoverGlobalCluster with AllowDataLoss while a switchover (no data loss) is pending,
 *   switching-over or cancelling replaces it. The RDS model (botocore rds 2014-10-31) does not say
 *   whether RDS accepts that: both operations list InvalidGlobalClusterStateFault ("The global
 *   cluster is in an invalid state and can't perform the requested operation") without naming the
 *   states. So the fake models both answers: by default it accepts the takeover; with
 *   `refuseTakeover` it answers InvalidGlobalClusterStateFault while the switchover lasts, and
 *   accepts the failover once the switchover has ended (completed, or failed with
 *   `switchoverEnds: 'cancelled'`);
 * - a switchover's end: after `switchoverPolls` describes it completes (the target writes) or, with
 *   `switchoverEnds: 'cancelled'`, it fails: FailoverState shows `cancelling` for `cancelPolls`
 *   describes, then no FailoverState and the old writer still writes (the model's FailoverState
 *   Status `cancelling`: "the primary Aurora DB cluster and the selected secondary Aurora DB
 *   cluster are returning to their previous states");
 * - effect: the response and the following DescribeGlobalClusters show Status
 *   `switching-over` (or `failing-over`) and FailoverState {Status, FromDbClusterArn,
 *   ToDbClusterArn, IsDataLossAllowed}; after `pollsUntilDone` further describes the target
 *   member has IsWriter true, the old writer IsWriter false, Status `available` and no
 *   FailoverState.
 *
 * Everything else is moto's: the fake is a client middleware that answers the two missing
 * operations itself and overlays its writer state on moto's real DescribeGlobalClusters output
 * (members, ARNs and existence all come from moto).
 */
import {
  DBClusterNotFoundFault,
  DescribeGlobalClustersCommand,
  GlobalClusterNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidGlobalClusterStateFault,
  RDSClient,
  RDSServiceException,
  type FailoverStatus,
  type GlobalCluster,
} from '@aws-sdk/client-rds';

/** One operation the fake accepted. */
export interface FakeOperation {
  readonly operation: 'SwitchoverGlobalCluster' | 'FailoverGlobalCluster';
  readonly globalClusterId: string;
  readonly targetArn: string;
  readonly allowDataLoss: boolean;
}

interface Overlay {
  writerArn?: string;
  pending?: {
    fromArn: string | undefined;
    toArn: string;
    dataLoss: boolean;
    describesLeft: number;
    /** A switchover that failed and is returning to the previous roles. */
    cancelling?: boolean;
  };
  /** A completed failover whose FailoverState stays (lingerAfterFailover). */
  lingering?: { fromArn: string | undefined; toArn: string };
}

/** The fake, shared by every RDS client it is installed on (all regions, all runs). */
export interface GlobalClusterFake {
  /** Operations accepted so far, in order. */
  readonly operations: FakeOperation[];
  /** Installs the fake on a client (idempotent). */
  install(client: RDSClient): RDSClient;
}

const meta = { $metadata: {} };

/** Options of the fake. */
export interface FakeOptions {
  /** Describes before a switchover completes (default: `pollsUntilDone`); Infinity: it is stuck (the old primary is lost). */
  readonly switchoverPolls?: number;
  /** Refuse a failover with data loss while a switchover is pending, instead of letting it take over. */
  readonly refuseTakeover?: boolean;
  /** How a switchover ends after `switchoverPolls` describes: it completes (default) or it fails and is cancelled. */
  readonly switchoverEnds?: 'completes' | 'cancelled';
  /** Describes a cancelled switchover shows `cancelling` before the global cluster is back as it was (default 1). */
  readonly cancelPolls?: number;
  /**
   * After a failover with data loss completes (the target writes), keep its FailoverState (`failing-over`, from the old
   * primary) instead of clearing it: the old primary's demotion needs its region, which the outage took. The API
   * reference says FailoverState is present while an operation is in progress; it does not say when a failover whose
   * old primary is unreachable ends, so the tests run both this and the cleared state.
   */
  readonly lingerAfterFailover?: boolean;
  /**
   * Endpoint of moto for the fake's own reads of the real global cluster (default: AWS_ENDPOINT_URL). A drill that
   * puts an outage proxy in front of moto passes moto itself: the fake's bookkeeping is not part of the outage.
   */
  readonly endpoint?: string;
}

/** Creates the fake; `pollsUntilDone` describes pass before an operation completes. */
export function createGlobalClusterFake(pollsUntilDone = 2, options: FakeOptions = {}): GlobalClusterFake {
  const overlays = new Map<string, Overlay>();
  const operations: FakeOperation[] = [];
  const installed = new WeakSet<RDSClient>();
  // A plain client (no fake) for moto's real view of the global clusters.
  const moto = new RDSClient({ region: 'us-east-1', ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) });

  const realCluster = async (id: string): Promise<GlobalCluster | undefined> => {
    const out = await moto.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }));
    return out.GlobalClusters?.find((c) => c.GlobalClusterIdentifier?.toLowerCase() === id.toLowerCase());
  };

  /** Applies the fake's state to one global cluster of a real moto response (advancing time by one describe). */
  const overlay = (cluster: GlobalCluster, advance: boolean): GlobalCluster => {
    const state = overlays.get(cluster.GlobalClusterIdentifier?.toLowerCase() ?? '');
    if (state === undefined) return cluster;
    if (advance && state.pending !== undefined) {
      state.pending.describesLeft--;
      if (state.pending.describesLeft <= 0 && state.pending.cancelling === true) {
        // Cancelled: back as it was, the old writer still writes.
        delete state.pending;
      } else if (state.pending.describesLeft <= 0 && !state.pending.dataLoss && options.switchoverEnds === 'cancelled') {
        state.pending.cancelling = true;
        state.pending.describesLeft = options.cancelPolls ?? 1;
      } else if (state.pending.describesLeft <= 0) {
        state.writerArn = state.pending.toArn;
        if (state.pending.dataLoss && options.lingerAfterFailover === true) {
          state.lingering = { fromArn: state.pending.fromArn, toArn: state.pending.toArn };
        }
        delete state.pending;
      }
    }
    const members = cluster.GlobalClusterMembers ?? [];
    const writer = state.writerArn ?? members.find((m) => m.IsWriter === true)?.DBClusterArn;
    const readers = members.map((m) => m.DBClusterArn).filter((a): a is string => a !== undefined && a !== writer);
    const result: GlobalCluster = {
      ...cluster,
      GlobalClusterMembers: members.map((m) => ({
        ...m,
        IsWriter: m.DBClusterArn === writer,
        Readers: m.DBClusterArn === writer ? readers : [],
      })),
    };
    if (state.pending === undefined && state.lingering !== undefined) {
      const failingOver = 'failing-over' as FailoverStatus;
      return {
        ...result,
        Status: failingOver,
        FailoverState: {
          Status: failingOver,
          FromDbClusterArn: state.lingering.fromArn,
          ToDbClusterArn: state.lingering.toArn,
          IsDataLossAllowed: true,
        },
      };
    }
    if (state.pending === undefined) return { ...result, Status: 'available', FailoverState: undefined };
    // The API reference lists "switching-over" as a FailoverState status; the SDK's enum lags behind.
    const status = (
      state.pending.cancelling === true ? 'cancelling' : state.pending.dataLoss ? 'failing-over' : 'switching-over'
    ) as FailoverStatus;
    return {
      ...result,
      Status: status,
      FailoverState: {
        Status: status,
        FromDbClusterArn: state.pending.fromArn,
        ToDbClusterArn: state.pending.toArn,
        IsDataLossAllowed: state.pending.dataLoss,
      },
    };
  };

  const start = async (operation: FakeOperation['operation'], input: Record<string, unknown>): Promise<GlobalCluster> => {
    const id = String(input.GlobalClusterIdentifier ?? '');
    const targetArn = String(input.TargetDbClusterIdentifier ?? '');
    const allowDataLoss = input.AllowDataLoss === true;
    if (operation === 'FailoverGlobalCluster' && input.AllowDataLoss !== undefined && input.Switchover !== undefined) {
      throw new RDSServiceException({
        name: 'InvalidParameterCombination',
        $fault: 'client',
        message: 'AllowDataLoss and Switchover cannot both be specified',
        ...meta,
      });
    }
    const real = await realCluster(id);
    if (real === undefined) throw new GlobalClusterNotFoundFault({ message: `Global cluster ${id} not found`, ...meta });
    const current = overlay(real, false);
    const members = current.GlobalClusterMembers ?? [];
    const target = members.find((m) => m.DBClusterArn === targetArn);
    if (target === undefined)
      throw new DBClusterNotFoundFault({ message: `DB cluster ${targetArn} is not a member of ${id}`, ...meta });
    const state = overlays.get(id.toLowerCase()) ?? {};
    const takeover =
      state.pending !== undefined &&
      !state.pending.dataLoss &&
      operation === 'FailoverGlobalCluster' &&
      allowDataLoss &&
      options.refuseTakeover !== true;
    if (state.pending !== undefined && !takeover) {
      throw new InvalidGlobalClusterStateFault({
        message: `Global cluster ${id} has a switchover or failover in progress`,
        ...meta,
      });
    }
    if (target.IsWriter === true) {
      throw new InvalidDBClusterStateFault({
        message: `DB cluster ${targetArn} is already the primary cluster of ${id}`,
        ...meta,
      });
    }
    const fromArn = members.find((m) => m.IsWriter === true)?.DBClusterArn;
    const dataLoss = operation === 'FailoverGlobalCluster' && allowDataLoss;
    state.pending = {
      fromArn,
      toArn: targetArn,
      dataLoss,
      describesLeft: dataLoss ? pollsUntilDone : (options.switchoverPolls ?? pollsUntilDone),
    };
    overlays.set(id.toLowerCase(), state);
    operations.push({ operation, globalClusterId: id, targetArn, allowDataLoss });
    return overlay(real, false);
  };

  return {
    operations,
    install(client) {
      if (installed.has(client)) return client;
      installed.add(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const command = context.commandName;
          const input = args.input as Record<string, unknown>;
          if (command === 'SwitchoverGlobalClusterCommand' || command === 'FailoverGlobalClusterCommand') {
            const GlobalCluster = await start(
              command === 'SwitchoverGlobalClusterCommand' ? 'SwitchoverGlobalCluster' : 'FailoverGlobalCluster',
              input,
            );
            return { output: { GlobalCluster, $metadata: { httpStatusCode: 200 } } as never, response: {} };
          }
          const result = await next(args);
          if (command === 'DescribeGlobalClustersCommand') {
            const output = result.output as { GlobalClusters?: GlobalCluster[] };
            output.GlobalClusters = output.GlobalClusters?.map((c) => overlay(c, true));
          }
          return result;
        },
        { step: 'initialize', name: 'drplaneGlobalClusterFake', priority: 'low' },
      );
      return client;
    },
  };
}
