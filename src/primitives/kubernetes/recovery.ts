/**
 * XRegionalCluster's part in recovery, through the registry: its steps in the objectives model's RTO
 * (src/estimate/objectives/rto.ts), the standby modes its advice times (src/estimate/objectives/advice.ts) and its
 * check in `drctl drill --apply`'s wait (src/cli/drill-watch.ts).
 */
import type { DisasterRecoverySpec } from '../../api/claim.js';
import type { FailureType } from '../../api/fields.js';
import { CLUSTER_SCALE_UP, PROVIDER_POLL } from '../../facts/timings.js';
import { basisOf, step, timed } from '../../estimate/objectives/steps.js';
import type { Step } from '../../estimate/objectives/types.js';
import type { DrillCheck, RtoCandidate } from '../types.js';
import { standbyNodes } from './scaling.js';
import type { StandbyMode } from './section.js';
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
  // The standby mode is a claim change the advice times itself (clusterRtoCandidates); the poll is outside the claim.
  return steps.map((s) => (s.id === 'eks-writer-observed' ? { ...s, lever: POLL_LEVER } : s));
}

/**
 * The standby modes that shorten an EKS failover, for the objectives model to time (the registry's `rtoCandidates`):
 * `hot` for a warm or pilot-light standby (the standby regions run minSize nodes all the time, so no EKS step is left),
 * and for a pilot-light one also `warm`, named only when it alone meets the objective (it keeps one node: that is all
 * minSize asks only when minSize is 1; above, the standby still scales up on failover). minSize is not proposed: it
 * also sizes the active region, which serves with it.
 */
export function clusterRtoCandidates(spec: DisasterRecoverySpec): RtoCandidate[] {
  const k = spec.kubernetes;
  if (!k || !spec.network || k.standby === 'hot') return [];
  const { minSize } = k.nodeGroup;
  const active = spec.activeRegion ?? spec.regions.primary;
  const standbys = [spec.regions.primary, ...spec.regions.secondaries].filter((r) => r !== active);
  const where =
    standbys.length === 1
      ? `the standby region ${standbys[0]} then runs`
      : `each standby region (${standbys.join(', ')}) then runs`;
  const now = standbyNodes(k.standby, minSize);
  const patch = (standby: StandbyMode) => (s: DisasterRecoverySpec) => ({ ...s, kubernetes: { ...s.kubernetes!, standby } });
  const field = 'spec.kubernetes.standby';
  const hot: RtoCandidate = {
    field,
    change: `set kubernetes.standby: hot: ${where} minSize ${nodes(minSize)} all the time instead of ${now} (billed: drctl cost), and a failover has no EKS step left`,
    patch: patch('hot'),
  };
  if (k.standby !== 'pilot-light') return [hot];
  const warm = standbyNodes('warm', minSize);
  const scale =
    warm >= minSize
      ? `that is minSize (${minSize}), so a failover has no EKS step left`
      : `and a failover still scales it to minSize ${minSize}; the active region keeps minSize ${minSize}`;
  const change = `set kubernetes.standby: warm: ${where} ${nodes(warm)} all the time instead of 0 (billed: drctl cost); ${scale}`;
  return [hot, { field, change, patch: patch('warm'), onlyWhenMet: true }];
}

const nodes = (n: number): string => `${n} node${n === 1 ? '' : 's'}`;

/**
 * The writer observation's lever outside the claim: the rds provider's poll interval. provider-upjet-aws reads it from
 * its `--poll` flag (cmd/provider/rds/zz_main.go, default 10m, jitter 5 %); drplane's bootstrap passes none. The advice
 * prints a step's lever when the step is the largest left after its timed changes; the standby mode inside the claim
 * is one of those (clusterRtoCandidates) and removes this step, so today the lever shows in `drctl objectives -o json`
 * steps only.
 */
const POLL_LEVER =
  "shorten the rds provider's poll, which bounds the writer observation: provider-upjet-aws's --poll flag (default 10m); " +
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
