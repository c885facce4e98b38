/**
 * The Lua health checks in argocd-cm, run under gopher-lua with Argo CD's library set and under real Lua 5.1 against objects in every state Crossplane and Argo CD put
 * them in. Conditions and messages are the ones Crossplane v2.3.4 writes (internal/controller/apiextensions/claim and
 * composite reconcilers): a claim waits with Ready=False/Waiting, a composite creates with Ready=False/Creating.
 */
import { expect, it } from 'vitest';
import {
  APPLICATION_HEALTH_LUA,
  COMPOSITE_HEALTH_LUA,
  HEALTH_KEY_PREFIX,
  PACKAGE_HEALTH_LUA,
  PACKAGE_KINDS,
  argocdConfigData,
  drplaneKinds,
} from '../../charts/bootstrap/argocd.js';
import { HEALTH_GATE } from '../../charts/bootstrap/apps.js';
import { LUA_ENGINES, describeWithLua, toLua } from './lua.js';

const condition = (type: string, status: string, reason: string, message?: string, observedGeneration?: number) => ({
  type,
  status,
  reason,
  lastTransitionTime: '2026-01-01T00:00:00Z',
  ...(message ? { message } : {}),
  ...(observedGeneration !== undefined ? { observedGeneration } : {}),
});

const claim = (status?: unknown, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'drplane.io/v1alpha1',
  kind: 'DisasterRecovery',
  metadata: { name: 'payments', namespace: 'team-payments', generation: 3, ...metadata },
  spec: { environment: 'prod', regions: { primary: 'us-east-1', secondaries: ['us-west-2'] } },
  ...(status === undefined ? {} : { status }),
});

const composite = (status?: unknown) => ({
  apiVersion: 'drplane.io/v1alpha1',
  kind: 'XGlobalDatabase',
  metadata: { name: 'payments-7xk2p-db', generation: 1 },
  spec: {},
  ...(status === undefined ? {} : { status }),
});

const synced = condition('Synced', 'True', 'ReconcileSuccess');
const available = condition('Ready', 'True', 'Available');

/** Each case: an object and the health Argo CD must show for it. */
const COMPOSITE_CASES: [string, unknown, string, string | RegExp][] = [
  ['a claim with no status at all', claim(), 'Progressing', /Waiting for Crossplane/],
  ['a claim whose status has no conditions yet', claim({}), 'Progressing', /Waiting for Crossplane/],
  ['a claim with an empty condition list', claim({ conditions: [] }), 'Progressing', /Waiting for Crossplane/],
  [
    'a claim waiting for its composite',
    claim({
      conditions: [synced, condition('Ready', 'False', 'Waiting', 'Claim is waiting for composite resource to become Ready')],
    }),
    'Progressing',
    'Claim is waiting for composite resource to become Ready',
  ],
  ['a ready claim', claim({ conditions: [synced, available] }), 'Healthy', 'Ready'],
  [
    'a composite creating its resources',
    composite({
      conditions: [
        synced,
        condition('Ready', 'False', 'Creating', 'Unready resources: cluster-us-east-1, global-cluster, and 3 more'),
      ],
    }),
    'Progressing',
    'Unready resources: cluster-us-east-1, global-cluster, and 3 more',
  ],
  [
    'a composite creating, without a message',
    composite({ conditions: [condition('Ready', 'False', 'Creating')] }),
    'Progressing',
    'Ready=False (Creating)',
  ],
  ['a ready composite', composite({ conditions: [synced, available] }), 'Healthy', 'Ready'],
  [
    'a claim Crossplane cannot reconcile',
    claim({
      conditions: [
        condition(
          'Synced',
          'False',
          'ReconcileError',
          'cannot compose resources: pipeline step "compose" returned a fatal result: spec.regions.primary: Invalid input',
        ),
      ],
    }),
    'Degraded',
    'cannot compose resources: pipeline step "compose" returned a fatal result: spec.regions.primary: Invalid input',
  ],
  [
    'a ready composite that stopped syncing',
    composite({
      conditions: [condition('Synced', 'False', 'ReconcileError', 'Unsynced resources: bucket-us-west-2'), available],
    }),
    'Degraded',
    'Unsynced resources: bucket-us-west-2',
  ],
  [
    'a composite not ready for another reason',
    composite({
      conditions: [synced, condition('Ready', 'False', 'Unavailable', 'the function reported the estate unavailable')],
    }),
    'Degraded',
    'the function reported the estate unavailable',
  ],
  [
    'a claim paused for the failover runbook',
    claim({
      conditions: [
        condition('Synced', 'False', 'ReconcilePaused', 'Reconciliation is paused via the pause annotation'),
        available,
      ],
    }),
    'Suspended',
    'Reconciliation is paused via the pause annotation',
  ],
  [
    'a claim being deleted',
    claim({ conditions: [synced, condition('Ready', 'False', 'Deleting')] }, { deletionTimestamp: '2026-01-02T00:00:00Z' }),
    'Progressing',
    'Being deleted',
  ],
  [
    'a claim whose last commit Crossplane has not seen yet (failover: activeRegion changed)',
    claim({
      conditions: [
        condition('Synced', 'True', 'ReconcileSuccess', undefined, 2),
        condition('Ready', 'True', 'Available', undefined, 2),
      ],
    }),
    'Progressing',
    'Waiting for Crossplane to observe generation 3',
  ],
  [
    'a claim whose conditions are current',
    claim({
      conditions: [
        condition('Synced', 'True', 'ReconcileSuccess', undefined, 3),
        condition('Ready', 'True', 'Available', undefined, 3),
      ],
    }),
    'Healthy',
    'Ready',
  ],
  [
    'a commit that breaks composition: Synced=False at the new generation, Ready still at the old one',
    claim({
      conditions: [
        condition(
          'Synced',
          'False',
          'ReconcileError',
          'cannot compose resources: pipeline step "compose" returned a fatal result: spec.network.cidrs: overlap',
          3,
        ),
        condition('Ready', 'True', 'Available', undefined, 2),
      ],
    }),
    'Degraded',
    'cannot compose resources: pipeline step "compose" returned a fatal result: spec.network.cidrs: overlap',
  ],
  [
    'a spec change while paused: ReconcilePaused at the new generation, Ready at the old one',
    claim({
      conditions: [
        condition('Synced', 'False', 'ReconcilePaused', 'Reconciliation is paused via the pause annotation', 3),
        condition('Ready', 'True', 'Available', undefined, 2),
      ],
    }),
    'Suspended',
    'Reconciliation is paused via the pause annotation',
  ],
  [
    'an error of an older generation Crossplane has not yet reconciled against the last commit',
    claim({
      conditions: [
        condition('Synced', 'False', 'ReconcileError', 'cannot compose resources: the old mistake', 2),
        condition('Ready', 'True', 'Available', undefined, 2),
      ],
    }),
    'Progressing',
    'Waiting for Crossplane to observe generation 3 (last error: cannot compose resources: the old mistake)',
  ],
  [
    'a message with quotes, a backslash, a newline and UTF-8',
    claim({ conditions: [condition('Synced', 'False', 'ReconcileError', 'bad "value" \\ here\nsecond line — région')] }),
    'Degraded',
    'bad "value" \\ here\nsecond line — région',
  ],
];

const app = (status?: unknown, annotations?: Record<string, string>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'drplane-providers', namespace: 'argocd', ...(annotations ? { annotations } : {}) },
  spec: {},
  ...(status === undefined ? {} : { status }),
});
const gate = { [HEALTH_GATE]: 'sync' };

const pkg = (kind: string, status?: unknown) => ({
  apiVersion: 'pkg.crossplane.io/v1',
  kind,
  metadata: { name: kind === 'Function' ? 'function-drplane' : 'crossplane-contrib-provider-aws-rds', generation: 1 },
  spec: { package: 'xpkg.crossplane.io/crossplane-contrib/provider-aws-rds:v2.6.0' },
  ...(status === undefined ? {} : { status }),
});
/** What Crossplane v2.3.4's package manager writes (internal/controller/pkg/manager, apis/pkg/v1/conditions.go). */
const PAUSED_MSG = 'Reconciliation (including deletion) is paused via the pause annotation';
const paused = condition('Synced', 'False', 'ReconcilePaused', PAUSED_MSG);
const installed = condition('Installed', 'True', 'ActivePackageRevision');
const pkgHealthy = condition('Healthy', 'True', 'HealthyPackageRevision');
const PULL_ERROR =
  'cannot unpack package: failed to fetch package digest from remote: GET https://xpkg.crossplane.io/v2/drplane/function-drplane/manifests/v0.1.0: UNAUTHORIZED';

/** Each case: a Provider or Function status and the health Argo CD must show (for both kinds). */
const PACKAGE_CASES: [string, unknown, string, string][] = [
  ['no status', undefined, 'Progressing', 'Waiting for the package manager to install the package'],
  ['an empty status', {}, 'Progressing', 'Waiting for the package manager to install the package'],
  [
    'paused before the package manager reported on it (only Synced: ReconcilePaused, the e2e tier; the built-in Provider check fails here)',
    { conditions: [paused] },
    'Progressing',
    'Paused (crossplane.io/paused) before the package manager reported it installed and healthy',
  ],
  [
    'only Installed=True so far (Healthy missing; the built-in Provider check fails here too)',
    { conditions: [installed] },
    'Progressing',
    'Waiting for the package manager to install the package',
  ],
  ['installed and healthy', { conditions: [pkgHealthy, installed] }, 'Healthy', 'Installed and healthy'],
  ['installed and healthy, then paused', { conditions: [installed, pkgHealthy, paused] }, 'Healthy', 'Installed and healthy'],
  [
    'a package that cannot be pulled (Installed=False UnpackingPackage, Healthy=False)',
    {
      conditions: [
        condition('Installed', 'False', 'UnpackingPackage', PULL_ERROR),
        condition('Healthy', 'False', 'UnhealthyPackageRevision', PULL_ERROR),
      ],
    },
    'Degraded',
    PULL_ERROR,
  ],
  [
    'an installed package whose revision is unhealthy',
    {
      conditions: [
        installed,
        condition(
          'Healthy',
          'False',
          'UnhealthyPackageRevision',
          'Package revision health is "False" with message: cannot establish control of object',
        ),
      ],
    },
    'Degraded',
    'Package revision health is "False" with message: cannot establish control of object',
  ],
  [
    'Healthy=False without a message',
    { conditions: [installed, condition('Healthy', 'False', 'UnhealthyPackageRevision')] },
    'Degraded',
    'Healthy=False (UnhealthyPackageRevision)',
  ],
  [
    'a new revision waiting for manual activation (revisionActivationPolicy: Manual)',
    { conditions: [condition('Installed', 'False', 'InactivePackageRevision', 'Package is inactive'), pkgHealthy] },
    'Suspended',
    'The current revision is inactive (revisionActivationPolicy: Manual): activate it to install it',
  ],
  [
    'a revision whose health is not known yet',
    { conditions: [installed, condition('Healthy', 'Unknown', 'UnknownPackageRevisionHealth')] },
    'Progressing',
    'Waiting for the package manager: Installed=True (ActivePackageRevision), Healthy=Unknown (UnknownPackageRevisionHealth)',
  ],
];

const APPLICATION_CASES: [string, unknown, string, string | RegExp][] = [
  ['a child that was never reconciled', app(), 'Progressing', 'Waiting for the first reconciliation'],
  [
    'a child Synced and Healthy',
    app({ health: { status: 'Healthy' }, sync: { status: 'Synced' } }),
    'Healthy',
    'Synced and healthy',
  ],
  [
    'a Healthy child whose resources are not applied yet (OutOfSync)',
    app({ health: { status: 'Healthy' }, sync: { status: 'OutOfSync' } }),
    'Progressing',
    'Health Healthy, sync OutOfSync',
  ],
  [
    'a child whose resources are Missing',
    app({ health: { status: 'Missing' }, sync: { status: 'OutOfSync' } }),
    'Progressing',
    /Health Missing/,
  ],
  [
    'a child syncing',
    app({
      health: { status: 'Healthy' },
      sync: { status: 'Synced' },
      operationState: {
        phase: 'Running',
        message: 'waiting for healthy state of pkg.crossplane.io/Provider/crossplane-contrib-provider-aws-rds',
      },
    }),
    'Progressing',
    /Sync Running: waiting for healthy state/,
  ],
  [
    'a Degraded child',
    app({ health: { status: 'Degraded', message: 'UnhealthyPackageRevision' }, sync: { status: 'Synced' } }),
    'Degraded',
    'UnhealthyPackageRevision',
  ],
  [
    'a child whose sync failed',
    app({
      health: { status: 'Progressing' },
      sync: { status: 'OutOfSync' },
      operationState: { phase: 'Failed', message: 'one or more objects failed to apply' },
    }),
    'Degraded',
    'Sync Failed: one or more objects failed to apply',
  ],
  ['a Suspended child', app({ health: { status: 'Suspended' }, sync: { status: 'Synced' } }), 'Suspended', 'Suspended'],
  [
    'a claims child (gated on sync) whose sync succeeded while estates are still being built',
    app({ health: { status: 'Progressing' }, sync: { status: 'Synced' }, operationState: { phase: 'Succeeded' } }, gate),
    'Healthy',
    'Applied; health of the estates: Progressing',
  ],
  [
    'a claims child (gated on sync) in sync from the start: Argo CD never starts an operation for it',
    app({ health: { status: 'Healthy' }, sync: { status: 'Synced' } }, gate),
    'Healthy',
    'Nothing to apply, in sync with git; health of the estates: Healthy',
  ],
  [
    'a claims child (gated on sync) never synced',
    app({ health: { status: 'Missing' }, sync: { status: 'OutOfSync' } }, gate),
    'Progressing',
    'Waiting for the first sync',
  ],
  [
    'a claims child (gated on sync) whose sync failed',
    app(
      {
        health: { status: 'Healthy' },
        sync: { status: 'OutOfSync' },
        operationState: { phase: 'Error', message: 'DisasterRecovery is not permitted' },
      },
      gate,
    ),
    'Degraded',
    'Sync Error: DisasterRecovery is not permitted',
  ],
];

for (const engine of LUA_ENGINES) {
  describeWithLua(engine, `Lua health checks under ${engine.name}`, () => {
    for (const [name, object, status, message] of COMPOSITE_CASES) {
      it(`drplane.io: ${name} → ${status}`, async () => {
        const health = await engine.run(COMPOSITE_HEALTH_LUA, object);
        expect(health.status).toBe(status);
        if (typeof message === 'string') expect(health.message).toBe(message);
        else expect(health.message).toMatch(message);
      });
    }

    for (const [name, object, status, message] of APPLICATION_CASES) {
      it(`argoproj.io Application: ${name} → ${status}`, async () => {
        const health = await engine.run(APPLICATION_HEALTH_LUA, object);
        expect(health.status).toBe(status);
        if (typeof message === 'string') expect(health.message).toBe(message);
        else expect(health.message).toMatch(message);
      });
    }

    for (const kind of PACKAGE_KINDS) {
      for (const [name, status, expected, message] of PACKAGE_CASES) {
        it(`pkg.crossplane.io ${kind}: ${name} → ${expected}`, async () => {
          expect(await engine.run(PACKAGE_HEALTH_LUA, pkg(kind, status))).toEqual({ status: expected, message });
        });
      }
    }

    it("argocd-cm checks Providers and Functions with drplane's package check, never Argo CD's built-in ones", async () => {
      const data = argocdConfigData();
      // Argo CD 3.2.11 (util/settings: resource.customizations.<type>.<group>_<kind>; util/lua GetHealthScript: a key
      // for the exact group/kind is read before any wildcard and before the built-in resource_customizations).
      for (const kind of ['Provider', 'Function']) {
        const script = data[`${HEALTH_KEY_PREFIX}pkg.crossplane.io_${kind}`];
        expect(script, kind).toBe(PACKAGE_HEALTH_LUA);
        expect(await engine.run(script!, pkg(kind, { conditions: [paused] }))).toMatchObject({ status: 'Progressing' });
      }
      // Argo CD opens the standard libraries for a custom check only with useOpenLibs; the check needs none.
      expect(Object.keys(data).filter((k) => k.startsWith('resource.customizations.useOpenLibs.'))).toEqual([]);
    });

    it('every health check in argocd-cm runs: each drplane.io kind with a ready object of its kind', async () => {
      const data = argocdConfigData();
      for (const kind of drplaneKinds()) {
        const script = data[`${HEALTH_KEY_PREFIX}drplane.io_${kind}`];
        expect(script, kind).toBeDefined();
        const health = await engine.run(script!, {
          apiVersion: 'drplane.io/v1alpha1',
          kind,
          metadata: { name: 'x' },
          status: { conditions: [synced, available] },
        });
        expect(health, kind).toEqual({ status: 'Healthy', message: 'Ready' });
      }
    });

    it("the sandbox is Argo CD's: table and os.time work; os.getenv, string and math do not exist", async () => {
      const allowed = 'local t = {}; table.insert(t, "a"); return { status = t[1], message = type(os.time()) }';
      expect(await engine.run(allowed, claim())).toEqual({ status: 'a', message: 'number' });
      const missing = /attempt to (call|index)/;
      await expect(engine.run('return { status = os.getenv("HOME") }', claim())).rejects.toThrow(missing);
      await expect(engine.run('return { status = string.upper("x") }', claim())).rejects.toThrow(missing);
      await expect(engine.run('return { status = tostring(math.floor(1.5)) }', claim())).rejects.toThrow(missing);
      await expect(engine.run('return { status = io.read() }', claim())).rejects.toThrow(missing);
    });
  });
}

it('toLua writes nested JSON as Lua table constructors', () => {
  expect(toLua({ a: [1, 'x', true, null], 'b-c': { d: '"\n' } })).toBe(
    '{["a"] = {1, "x", true, nil}, ["b-c"] = {["d"] = "\\34\\10"}}',
  );
});
