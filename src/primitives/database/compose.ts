/**
 * XGlobalDatabase: an Aurora global database. One global cluster (engine + version); a primary
 * cluster whose master password Crossplane generates into a Kubernetes Secret; a secondary
 * cluster in every secondary region joined to the global cluster with no credentials and no
 * database name; instances, subnet groups and a KMS key per region; Usages for deletion order.
 */
import {
  Cluster,
  ClusterInstance,
  GlobalCluster,
  GlobalClusterSpecManagementPolicies,
  SubnetGroup,
} from '../../../imports/rds.aws.upbound.io.js';
import type { GlobalDatabaseSpec } from './schema.js';
import { LABEL, type ComposeContext } from '../../compose/context.js';
import { ofEstate, own } from '../../compose/selector.js';
import { keyKey, keySelector, kmsKey } from '../../compose/kms.js';
import { NETWORK } from '../network/compose.js';
import { PAUSED, globalViewKey } from './switchover.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { usage } from '../../compose/usage.js';

type Database = GlobalDatabaseSpec['database'];

/** Component labels of the database resources. */
export const DATABASE = {
  global: 'aurora-global',
  globalView: 'aurora-global-view',
  cluster: 'aurora-cluster',
  instance: 'aurora-instance',
  subnetGroup: 'aurora-subnet-group',
} as const;

/** Key of the master-password Secret the provider generates. */
export const PASSWORD_KEY = 'password';

/** Namespace where the database Secrets are written: the claim's namespace, else crossplane-system. */
export const secretNamespace = (ctx: ComposeContext): string => ctx.estate.owner.namespace || 'crossplane-system';

/** Name of the Kubernetes Secret holding the generated master password. */
export const passwordSecretName = (ctx: ComposeContext): string => `${ctx.namer.name('rdsIdentifier', 'aurora-master')}`;

/** Identifier of the global cluster, also set literally on every member (the field has no reference). */
export const globalClusterId = (ctx: ComposeContext): string => ctx.namer.name('rdsIdentifier', 'global');

/** Identifier of the cluster in a region. */
export const clusterId = (ctx: ComposeContext, region: string): string => ctx.namer.name('rdsIdentifier', 'aurora', region);

/** CloudWatch log types each engine exports. */
const LOG_EXPORTS: Record<Database['engine'], string[]> = {
  'aurora-postgresql': ['postgresql'],
  'aurora-mysql': ['audit', 'error', 'slowquery'],
};

function globalCluster(ctx: ComposeContext, db: Database): DesiredResource {
  const manifest = GlobalCluster.manifest({
    metadata: ctx.metadata(DATABASE.global, ctx.primary, globalClusterId(ctx)),
    spec: {
      forProvider: {
        region: ctx.primary,
        engine: db.engine,
        engineVersion: db.engineVersion,
        storageEncrypted: true,
        deletionProtection: ctx.production,
        forceDestroy: !ctx.production,
        tags: ctx.tags(),
      },
    },
  });
  return { key: 'aurora-global', manifest: ctx.stateful(manifest), region: ctx.primary };
}

/**
 * The global cluster observed from a secondary region (managementPolicies Observe: never created, changed or deleted).
 * Its status names the members and the writer as that region's RDS API reports them, so the writer is known while the
 * primary region, where the managed global cluster lives, is lost (its status then stays as it was; switchover.ts).
 */
function globalClusterView(ctx: ComposeContext, region: string): DesiredResource {
  const manifest = GlobalCluster.manifest({
    metadata: ctx.metadata(DATABASE.globalView, region, globalClusterId(ctx)),
    spec: { managementPolicies: [GlobalClusterSpecManagementPolicies.OBSERVE], forProvider: { region } },
  });
  return { key: globalViewKey(region), manifest: ctx.stateful(manifest), region };
}

function subnetGroup(ctx: ComposeContext, region: string): DesiredResource {
  const name = ctx.namer.name('subnetGroup', 'aurora', region);
  const manifest = SubnetGroup.manifest({
    metadata: ctx.metadata(DATABASE.subnetGroup, region, name),
    spec: {
      forProvider: {
        region,
        description: `Private subnets of ${ctx.estate.owner.name}-${ctx.estate.environment} for Aurora`,
        subnetIdSelector: ofEstate(ctx, NETWORK.subnet, region),
        tags: ctx.tags(),
      },
    },
  });
  return { key: `aurora-subnet-group-${region}`, manifest, region };
}

/** Settings every member cluster shares; final snapshot in production, none in test. */
function memberSettings(ctx: ComposeContext, db: Database, region: string) {
  return {
    region,
    engine: db.engine,
    globalClusterIdentifier: globalClusterId(ctx),
    storageEncrypted: true,
    kmsKeyIdSelector: keySelector(ctx, 'database', region),
    dbSubnetGroupNameSelector: own(ctx, DATABASE.subnetGroup, region),
    vpcSecurityGroupIdSelector: ofEstate(ctx, NETWORK.databaseSg, region),
    backupRetentionPeriod: db.backupRetentionDays,
    // The provider's storageType: "" (the default) is Aurora Standard, aurora-iopt1 Aurora I/O-Optimized.
    ...(db.storageType === 'io-optimized' ? { storageType: 'aurora-iopt1' } : {}),
    preferredBackupWindow: '03:00-04:00',
    copyTagsToSnapshot: true,
    deletionProtection: ctx.production,
    enabledCloudwatchLogsExports: LOG_EXPORTS[db.engine],
    iamDatabaseAuthenticationEnabled: true,
    ...(ctx.production
      ? { skipFinalSnapshot: false, finalSnapshotIdentifier: `${clusterId(ctx, region)}-final` }
      : { skipFinalSnapshot: true }),
    tags: ctx.tags({ 'drplane:role': region === ctx.primary ? 'primary' : 'secondary' }),
  };
}

function primaryCluster(ctx: ComposeContext, db: Database): DesiredResource {
  const region = ctx.primary;
  const manifest = Cluster.manifest({
    metadata: ctx.metadata(DATABASE.cluster, region, clusterId(ctx, region)),
    spec: {
      forProvider: {
        ...memberSettings(ctx, db, region),
        masterUsername: db.masterUsername,
        autoGeneratePassword: true,
        masterPasswordSecretRef: { name: passwordSecretName(ctx), namespace: secretNamespace(ctx), key: PASSWORD_KEY },
        ...(db.databaseName ? { databaseName: db.databaseName } : {}),
      },
      initProvider: { engineVersion: db.engineVersion },
      writeConnectionSecretToRef: { name: `${clusterId(ctx, region)}-connection`, namespace: secretNamespace(ctx) },
    },
  });
  return { key: `aurora-cluster-${region}`, manifest: ctx.stateful(manifest), region };
}

/** A secondary member: no master user, no password, no database name (AWS rejects them). */
function secondaryCluster(ctx: ComposeContext, db: Database, region: string): DesiredResource {
  const manifest = Cluster.manifest({
    metadata: ctx.metadata(DATABASE.cluster, region, clusterId(ctx, region)),
    spec: {
      forProvider: memberSettings(ctx, db, region),
      initProvider: { engineVersion: db.engineVersion },
    },
  });
  return { key: `aurora-cluster-${region}`, manifest: ctx.stateful(manifest), region };
}

/**
 * The instances of a region's member cluster. They wait for the database key's observed ARN: Performance Insights
 * wants the key ARN (the provider's Key reference would copy the key id, which AWS reports back as the ARN: a
 * permanent diff), and its key cannot be changed once the instance has it.
 */
function instances(
  ctx: ComposeContext,
  db: Database,
  region: string,
  count: number,
  keyArn: string | undefined,
): DesiredResource[] {
  if (keyArn === undefined) return [];
  return Array.from({ length: count }, (_, i) => {
    const id = ctx.namer.name('rdsIdentifier', `aurora-${i + 1}`, region);
    const manifest = ClusterInstance.manifest({
      metadata: ctx.metadata(DATABASE.instance, region, id, { [LABEL.ordinal]: String(i + 1) }),
      spec: {
        forProvider: {
          region,
          engine: db.engine,
          instanceClass: db.instanceClass,
          clusterIdentifierSelector: own(ctx, DATABASE.cluster, region),
          publiclyAccessible: false,
          // The claim's engineVersion is the version (GlobalCluster forProvider): an automatic minor upgrade would make
          // AWS differ from it and the provider try to move it back. Upgrades go through the claim, checked by policy.
          autoMinorVersionUpgrade: false,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: keyArn,
          promotionTier: i,
          copyTagsToSnapshot: true,
          tags: ctx.tags(),
        },
      },
    });
    return { key: `aurora-instance-${region}-${i + 1}`, manifest: ctx.stateful(manifest), region };
  });
}

/** A member cluster with the paused annotation added (see switchover.ts). */
function paused(member: DesiredResource): DesiredResource {
  const metadata = (member.manifest.metadata ?? {}) as { annotations?: Record<string, string> };
  const annotations = { ...metadata.annotations, [PAUSED]: 'true' };
  return { ...member, manifest: { ...member.manifest, metadata: { ...metadata, annotations } } };
}

/**
 * Every resource of an XGlobalDatabase. `pauseMembers` (from the switchover guard) pauses the member Cluster
 * resources while a switchover is under way or has left a stale replication source behind.
 */
export function composeDatabase(
  ctx: ComposeContext,
  db: Database,
  observed: ObservedView,
  pauseMembers = false,
): DesiredResource[] {
  const global = globalCluster(ctx, db);
  const primary = primaryCluster(ctx, db);
  const secondaries = ctx.secondaries.map((r) => secondaryCluster(ctx, db, r));
  const members = [primary, ...secondaries].map((m) => (pauseMembers ? paused(m) : m));
  const perRegion = ctx.regions.flatMap((region) => [
    ...kmsKey(ctx, 'database', region),
    subnetGroup(ctx, region),
    ...instances(
      ctx,
      db,
      region,
      region === ctx.primary ? db.instances : db.secondaryInstances,
      // Once created, the instances keep the key they were composed with while the key's status is lost (a
      // control-plane restore): dropped, Crossplane would delete them (the drop guard refuses it, holding the estate).
      observed.field(keyKey('database', region), 'status.atProvider.arn') ??
        observed.field(`aurora-instance-${region}-1`, 'spec.forProvider.performanceInsightsKmsKeyId'),
    ),
  ]);
  const usages = [
    usage(ctx, 'global-by-primary', global.manifest, primary.manifest, 'The global cluster outlives its primary member.'),
    ...secondaries.map((s, i) =>
      usage(
        ctx,
        `primary-by-${ctx.secondaries[i]}`,
        primary.manifest,
        s.manifest,
        'Secondaries detach before the primary is deleted.',
      ),
    ),
    // One usage per instance: a usage's selector resolves to a single resource, so one usage for the region would
    // hold the cluster for one instance only and let it go while the others still exist.
    ...members.flatMap((m, i) => {
      const region = ctx.regions[i]!;
      const own = perRegion.filter((r) => r.region === region && r.manifest.kind === 'ClusterInstance');
      return own.map((instance, n) =>
        usage(ctx, `cluster-${region}-by-instance-${n + 1}`, m.manifest, instance.manifest, 'Instances go before their cluster.'),
      );
    }),
  ];
  const views = ctx.secondaries.map((r) => globalClusterView(ctx, r));
  return [global, ...views, ...members, ...perRegion, ...usages];
}
