/**
 * XRegionalCluster's part in recovery, through the registry: its steps in the objectives model's RTO
 * (src/estimate/objectives/rto.ts) and its check in `drctl drill --apply`'s wait (src/cli/drill-watch.ts).
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { FailureType } from '../../api/fields.js';
import { CLUSTER_SCALE_UP, PROVIDER_POLL } from '../../facts/timings.js';
import { approx, basisOf, step, timed, total } from '../../estimate/objectives/steps.js';
import type { Step } from '../../estimate/objectives/types.js';
import type { DrillCheck } from '../types.js';
import { standbyNodes } from './scaling.js';
import { nodeGroupIn } from './status.js';

/**
 * The EKS standby becoming the active region: its node group scales from what its standby mode keeps to minSize (none
 * to do for a hot standby, or a warm one whose minSize is 1), and a pilot-light region gets CoreDNS once nodes run.
 *
 * Through git (people's `drctl failover`, a planned switchover) the composition sizes the new activeRegion for serving
 * as soon as the claim changes, so the scale-up starts with the run; the model counts it in full after the promotion
 * (the safe side: the two overlap). A run the orchestrator starts by itself (automatic mode) moves no activeRegion:
 * its scale-nodes step raises the target's node group first, but the composition keeps that region at its standby size
 * until Crossplane observes the Aurora writer there, and the pinned provider re-applies the composition's size at the
 * node group's next poll (scaling.ts). So the head start may be undone, and the scale-up
 * that counts starts once the writer is observed: at the rds provider's next poll of the global cluster after the
 * promotion (CLUSTER_SCALE_UP.writerObserved). In a region loss the lost region's own observation of the global cluster
 * still names the old writer until its poll fails, which takes up to one reconcile timeout more when its API hangs.
 */
export function clusterRecoverySteps(spec: DisasterRecoverySpec, failure: FailureType, automatic: boolean): Step[] {
  const k = spec.kubernetes;
  if (!k || !spec.network) return [];
  const { minSize } = k.nodeGroup;
  const from = standbyNodes(k.standby, minSize);
  if (from >= minSize)
    return [
      step(
        'rto',
        'eks-nodes',
        `EKS: the ${k.standby} standby already runs minSize ${minSize} node${minSize === 1 ? '' : 's'}`,
        0,
        0,
        'spec.kubernetes.standby: the standby node group keeps minSize nodes (src/primitives/kubernetes/scaling.ts, standbyNodes)',
      ),
    ];
  const steps = [
    ...(automatic ? [writerObservedStep(spec, failure)] : []),
    timed(
      'eks-nodes',
      `EKS: the ${k.standby} standby's node group scales from ${from} to minSize ${minSize} nodes (launch, join, Ready)`,
      CLUSTER_SCALE_UP.nodes,
    ),
    ...(from === 0
      ? [
          timed(
            'eks-coredns',
            'EKS: CoreDNS is created in the new active region (a pilot-light region keeps none)',
            CLUSTER_SCALE_UP.coreDns,
          ),
        ]
      : []),
  ];
  const standby = standbyLever(minSize, total(steps).worstSeconds);
  return steps.map((s) => ({ ...s, lever: s.id === 'eks-writer-observed' ? `${standby}; ${POLL_LEVER}` : standby }));
}

/**
 * The claim's lever on every EKS step: a standby that keeps minSize nodes has none of them (a hot one, or a warm one
 * when minSize is 1: standbyNodes), so it saves their sum, `saves` (the model's own figure: the steps are counted one
 * after another, and such a standby's only step takes 0 s).
 */
function standbyLever(minSize: number, saves: number): string {
  const mode = minSize === 1 ? 'hot or warm (minSize is 1)' : 'hot (or warm with nodeGroup.minSize: 1)';
  return `set kubernetes.standby: ${mode}: the standby region then keeps minSize nodes running (billed: drctl cost) and no EKS step is left (saves ${approx(saves)} worst case)`;
}

/**
 * The writer observation's other lever, outside the claim: the rds provider's poll interval. provider-upjet-aws reads
 * it from its `--poll` flag (cmd/provider/rds/zz_main.go, default 10m, jitter 5 %); drplane's bootstrap passes none.
 */
const POLL_LEVER =
  "or shorten the rds provider's poll, which bounds the writer observation: provider-upjet-aws's --poll flag (default 10m); " +
  'the bootstrap has no setting for it: it would be an arg of a DeploymentRuntimeConfig of the rds provider (charts/bootstrap/runtime.ts, where every AWS provider shares one that passes none), ' +
  'with PROVIDER_POLL in src/facts/timings.ts changed to match (test/bootstrap/reconcile-settings.test.ts)';

/** Automatic runs: the scale-up that counts waits for Crossplane to observe the writer in the target region. */
function writerObservedStep(spec: DisasterRecoverySpec, failure: FailureType): Step {
  const t = CLUSTER_SCALE_UP.writerObserved;
  const lost = failure === 'region-loss';
  const hang = PROVIDER_POLL.reconcileTimeoutSeconds;
  return step(
    'rto',
    'eks-writer-observed',
    `EKS: Crossplane observes the Aurora writer in the standby at the rds provider's next poll (every ${PROVIDER_POLL.intervalSeconds} s)${lost ? `, and ${spec.regions.primary}'s own observation fails (up to ${hang} s more when its API hangs)` : ''}; only then is the standby sized for serving: the pinned provider reverts the orchestrator's scale-nodes head start at the node group's next poll`,
    t.typicalSeconds,
    t.worstSeconds + (lost ? hang : 0),
    lost
      ? `${t.source} In a region loss the global cluster observed from ${spec.regions.primary} keeps naming the old writer until its next poll fails, and while the views disagree drplane keeps the writer it saw last, the old one (src/primitives/database/switchover.ts): a poll whose API hangs fails at the reconcile timeout, ${hang} s (upjet's generated controllers, managed.WithTimeout(3 * time.Minute)).`
      : t.source,
    true,
    basisOf(t),
  );
}

/**
 * `drctl drill --apply`: the target's node group must hold serving capacity (the claim's
 * status.regions.<target>.clusterNodes.capacitySince, read by status.ts's nodeGroupIn; set by XRegionalCluster once the group is Ready, ACTIVE, with at
 * least minSize nodes desired and its CoreDNS add-on Ready: scaling.ts). Not the requested size alone: instances that
 * launch and never join leave it unchanged; capacitySince is the primitive's judgement of what runs.
 */
export function clusterDrillChecks(spec: DisasterRecoverySpec, target: string): DrillCheck[] {
  if (!spec.kubernetes) return [];
  const minSize = spec.kubernetes.nodeGroup.minSize;
  return [
    {
      id: 'nodes',
      label: `the EKS node group in ${target} serves: Ready, ACTIVE, at least ${minSize} nodes, CoreDNS running`,
      done: (o) => nodeGroupIn(o.regions?.[target])?.capacitySince !== undefined,
      why: (o) => {
        const n = nodeGroupIn(o.regions?.[target]);
        if (n === undefined) return `the claim reports no EKS node group in ${target} yet`;
        const shown = n.ready === true && n.status === 'ACTIVE' && (n.desiredSize ?? -1) >= minSize;
        return (
          `the EKS node group in ${target} shows no serving capacity yet: ${n.desiredSize ?? 'an unknown number of'} nodes desired (needs ${minSize})` +
          `${n.ready === true ? '' : ', not Ready'}${n.status ? ` (${n.status})` : ''}` +
          (shown ? ', waiting for its CoreDNS add-on to run' : '')
        );
      },
    },
  ];
}
