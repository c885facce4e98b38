/**
 * The probe's maintenance read on moto (audit 21 N4): the serving region counts as in maintenance when its Aurora
 * cluster or one of that cluster's DB instances is (DescribeDBInstances filtered on db-cluster-id), so an instance
 * reboot or OS patch holds the trigger while the cluster says `available`.
 *
 * moto 5.2.5 keeps every instance `available` (its RebootDBInstance changes nothing), so a stand-in sets the
 * DBInstanceStatus of named instances in moto's DescribeDBInstances answer; which instances the call returns (the
 * filter, the cluster membership) is moto's.
 */
import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients, type ClientFactory } from '../../lambda/failover/clients.js';
import { inMaintenance, instanceInMaintenance } from '../../lambda/failover/probe.js';
import { MOTO_ACCOUNT, useMoto } from './support/aws.js';
import { startMoto, type MotoServer } from './support/moto.js';

const REGION = 'us-east-1';
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
  useMoto(moto.endpoint);
}, 60_000);
afterAll(async () => moto?.stop());

/** A cluster with two instances in moto; and another cluster whose instance is being rebooted. */
async function estate(cluster: string): Promise<string> {
  const rds = new RDSClient({ region: REGION });
  for (const id of [cluster, `${cluster}-other`]) {
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: id,
        Engine: 'aurora-postgresql',
        MasterUsername: 'admin_user',
        MasterUserPassword: 'not-a-secret-1',
      }),
    );
  }
  for (const [id, c] of [
    [`${cluster}-1`, cluster],
    [`${cluster}-2`, cluster],
    [`${cluster}-other-1`, `${cluster}-other`],
  ] as const) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBClusterIdentifier: c,
        Engine: 'aurora-postgresql',
        DBInstanceClass: 'db.r6g.large',
      }),
    );
  }
  return `arn:aws:rds:${REGION}:${MOTO_ACCOUNT}:cluster:${cluster}`;
}

/** moto's clients, with the given DB instances in the given states and the instance read failing if told. */
function withInstanceStates(states: Record<string, string>, instancesFail = false): ClientFactory {
  const clients = awsClients(undefined);
  const rds = clients.rds(REGION);
  rds.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'DescribeDBInstancesCommand' && instancesFail) throw new Error('connect ETIMEDOUT');
      const result = await next(args);
      if (context.commandName === 'DescribeDBInstancesCommand') {
        const out = result.output as { DBInstances?: { DBInstanceIdentifier?: string; DBInstanceStatus?: string }[] };
        for (const i of out.DBInstances ?? []) {
          const state = states[i.DBInstanceIdentifier ?? ''];
          if (state !== undefined) i.DBInstanceStatus = state;
        }
      }
      return result;
    },
    { step: 'initialize', name: 'instanceStates' },
  );
  return () => clients;
}

describe("the probe's maintenance read", () => {
  it('an instance rebooting while the cluster is available counts as maintenance', async () => {
    const arn = await estate('reboot');
    expect(await inMaintenance(withInstanceStates({})(undefined), REGION, arn)).toBe(false);
    expect(await inMaintenance(withInstanceStates({ 'reboot-2': 'rebooting' })(undefined), REGION, arn)).toBe(true);
    expect(await inMaintenance(withInstanceStates({ 'reboot-1': 'configuring-log-exports' })(undefined), REGION, arn)).toBe(true);
  });

  it("another cluster's instance in maintenance does not count (the db-cluster-id filter)", async () => {
    const arn = await estate('filtered');
    expect(await inMaintenance(withInstanceStates({ 'filtered-other-1': 'rebooting' })(undefined), REGION, arn)).toBe(false);
  });

  it('states that are not maintenance do not count; an instance read that fails leaves it unknown', async () => {
    const arn = await estate('states');
    for (const state of ['available', 'backing-up', 'stopped', 'failed', 'storage-full'])
      expect(instanceInMaintenance(state), state).toBe(false);
    for (const state of ['maintenance', 'rebooting', 'upgrading', 'modifying', 'configuring-enhanced-monitoring'])
      expect(instanceInMaintenance(state), state).toBe(true);
    await expect(inMaintenance(withInstanceStates({}, true)(undefined), REGION, arn)).rejects.toThrow('ETIMEDOUT');
  });
});
