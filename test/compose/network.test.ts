import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../src/compose/cidr.js';
import { byKey, composeLive, FULL_SPEC, fp, keysOf, labels, managed, nestedOf, observedView, plan, spec } from './helpers.js';

const resources = managed(plan(FULL_SPEC));
const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
const inRange = (inner: string, outer: string) => {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  return a.prefix >= b.prefix && Math.floor(a.address / 2 ** (32 - b.prefix)) === Math.floor(b.address / 2 ** (32 - b.prefix));
};

describe('XDRNetwork', () => {
  it('makes one VPC per region with DNS support and hostnames on', () => {
    const vpcs = managed(plan(FULL_SPEC), 'VPC');
    expect(vpcs.map((v) => fp(v).region).sort()).toEqual([...regions].sort());
    for (const v of vpcs) {
      expect(fp(v)).toMatchObject({ enableDnsSupport: true, enableDnsHostnames: true });
      expect(fp(v).cidrBlock).toBe((FULL_SPEC.network.cidrs as Record<string, string>)[fp(v).region]);
    }
  });

  it('puts private subnets in at least two distinct AZs per region, inside the VPC and not overlapping', () => {
    for (const region of regions) {
      const subnets = resources.filter((m) => m.kind === 'Subnet' && fp(m).region === region);
      expect(subnets.length).toBeGreaterThanOrEqual(2);
      expect(new Set(subnets.map((s) => fp(s).availabilityZone)).size).toBe(subnets.length);
      const vpcCidr = (FULL_SPEC.network.cidrs as Record<string, string>)[region]!;
      for (const s of subnets) {
        expect(inRange(fp(s).cidrBlock, vpcCidr)).toBe(true);
        expect(fp(s).mapPublicIpOnLaunch).toBe(false);
      }
      const cidrs = subnets.map((s) => fp(s).cidrBlock);
      expect(new Set(cidrs).size).toBe(cidrs.length);
    }
  });

  it('never creates a NAT gateway or an internet gateway: AWS services are reached through endpoints', () => {
    expect(resources.filter((m) => ['NATGateway', 'InternetGateway', 'EIP'].includes(m.kind))).toEqual([]);
  });

  it('uses gateway endpoints for S3 and DynamoDB, joined to the private route table', () => {
    for (const region of regions) {
      for (const service of ['s3', 'dynamodb']) {
        const ep = resources.find((m) => m.kind === 'VPCEndpoint' && fp(m).serviceName === `com.amazonaws.${region}.${service}`);
        expect(ep, `${service} endpoint in ${region}`).toBeDefined();
        expect(fp(ep!).vpcEndpointType).toBe('Gateway');
        const assoc = resources.find(
          (m) =>
            m.kind === 'VPCEndpointRouteTableAssociation' &&
            fp(m).region === region &&
            fp(m).vpcEndpointIdSelector.matchLabels['drplane.io/component'] === `endpoint-${service}`,
        );
        expect(assoc).toBeDefined();
        expect(fp(assoc!).routeTableIdSelector.matchLabels['drplane.io/component']).toBe('private-route-table');
      }
    }
  });

  it('uses interface endpoints with private DNS, an ENI in every private subnet and the endpoint security group', () => {
    const region = 'us-west-2';
    for (const service of ['secretsmanager', 'sns', 'logs', 'monitoring']) {
      const ep = resources.find((m) => m.kind === 'VPCEndpoint' && fp(m).serviceName === `com.amazonaws.${region}.${service}`);
      expect(ep).toBeDefined();
      expect(fp(ep!)).toMatchObject({ vpcEndpointType: 'Interface', privateDnsEnabled: true });
      const subnetAssocs = resources.filter(
        (m) =>
          m.kind === 'VPCEndpointSubnetAssociation' &&
          fp(m).region === region &&
          fp(m).vpcEndpointIdSelector.matchLabels['drplane.io/component'] === `endpoint-${service}`,
      );
      expect(subnetAssocs).toHaveLength(2);
      expect(new Set(subnetAssocs.map((a) => fp(a).subnetIdSelector.matchLabels['drplane.io/zone'])).size).toBe(2);
      const sg = resources.find(
        (m) =>
          m.kind === 'VPCEndpointSecurityGroupAssociation' &&
          fp(m).region === region &&
          fp(m).vpcEndpointIdSelector.matchLabels['drplane.io/component'] === `endpoint-${service}`,
      );
      expect(fp(sg!).securityGroupIdSelector.matchLabels['drplane.io/component']).toBe('sg-endpoints');
    }
  });

  it('opens only the database engine port, only from the estate VPCs, and never ingress from anywhere', () => {
    const ingress = resources.filter((m) => m.kind === 'SecurityGroupIngressRule');
    for (const rule of ingress) expect(fp(rule).cidrIpv4).not.toBe('0.0.0.0/0');
    const db = ingress.filter((m) => labels(m)['drplane.io/component'] === 'sg-database-ingress');
    expect(db.length).toBe(regions.length * regions.length);
    for (const rule of db) {
      expect(fp(rule)).toMatchObject({ ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 });
      expect(Object.values(FULL_SPEC.network.cidrs)).toContain(fp(rule).cidrIpv4);
    }
  });

  it('opens the MySQL port instead for aurora-mysql, and no database port without a database', () => {
    const mysql = managed(
      plan({ ...FULL_SPEC, database: { engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.08.2' } }),
      'SecurityGroupIngressRule',
    );
    expect(
      new Set(mysql.filter((m) => labels(m)['drplane.io/component'] === 'sg-database-ingress').map((m) => fp(m).fromPort)),
    ).toEqual(new Set([3306]));
    const { database: _db, ...noDb } = FULL_SPEC;
    const rules = managed(plan(noDb), 'SecurityGroupIngressRule');
    expect(rules.filter((m) => labels(m)['drplane.io/component'] === 'sg-database-ingress')).toEqual([]);
  });

  it('peers the primary with each secondary: requester without auto-accept, accepter in the peer region, routes on both sides', () => {
    const peerings = resources.filter((m) => m.kind === 'VPCPeeringConnection');
    expect(peerings.map((p) => fp(p).peerRegion).sort()).toEqual(['eu-west-1', 'us-west-2']);
    for (const p of peerings) {
      expect(fp(p).region).toBe('us-east-1');
      expect(spec(p).initProvider).toEqual({ autoAccept: false });
      expect(fp(p).autoAccept).toBeUndefined();
      const peer = fp(p).peerRegion as string;
      const accepter = resources.find((m) => m.kind === 'VPCPeeringConnectionAccepter' && fp(m).region === peer);
      expect(fp(accepter!).autoAccept).toBe(true);
      const routes = resources.filter(
        (m) =>
          m.kind === 'Route' &&
          m.apiVersion.startsWith('ec2.') &&
          fp(m).vpcPeeringConnectionIdSelector?.matchLabels['drplane.io/component'] === `peering-${peer}`,
      );
      expect(routes.map((r) => `${fp(r).region}->${fp(r).destinationCidrBlock}`).sort()).toEqual(
        [`us-east-1->${(FULL_SPEC.network.cidrs as Record<string, string>)[peer]}`, `${peer}->10.0.0.0/16`].sort(),
      );
    }
  });

  it("resolves the peer's private DNS names on both sides of each peering, each side in its own region", () => {
    for (const peer of ['us-west-2', 'eu-west-1']) {
      const options = resources.filter(
        (m) =>
          m.kind === 'VPCPeeringConnectionOptions' &&
          fp(m).vpcPeeringConnectionIdSelector?.matchLabels['drplane.io/component'] === `peering-${peer}`,
      );
      expect(options.map((m) => [fp(m).region, fp(m).requester, fp(m).accepter])).toEqual([
        ['us-east-1', { allowRemoteVpcDnsResolution: true }, undefined],
        [peer, undefined, { allowRemoteVpcDnsResolution: true }],
      ]);
      // Both name the connection the requester in the primary created (its id is the accepter's too).
      for (const m of options) expect(fp(m).vpcPeeringConnectionIdSelector.matchLabels['drplane.io/region']).toBe('us-east-1');
    }
  });

  it('leaves the peering options to VPCPeeringConnectionOptions: the accepter is not late-initialized (audit-17 L3)', () => {
    const accepters = resources.filter((m) => m.kind === 'VPCPeeringConnectionAccepter');
    expect(accepters).toHaveLength(2);
    for (const a of accepters) {
      // Observe, Create, Update, Delete (a combination crossplane-runtime supports): no LateInitialize, no '*'.
      expect(spec(a).managementPolicies).toEqual(['Observe', 'Create', 'Update', 'Delete']);
      expect(fp(a).accepter).toBeUndefined();
      expect(fp(a).requester).toBeUndefined();
      expect(spec(a).initProvider).toBeUndefined();
    }
  });

  it('sets the peering options only once the accepter reports the connection active (AWS refuses them before)', () => {
    const composite = nestedOf(FULL_SPEC, 'XDRNetwork');
    const pending = composeLive(composite, observedView({}));
    expect(keysOf(pending).filter((k) => k.includes('-options-'))).toEqual([]);
    const active = composeLive(composite, observedView({ 'peering-us-east-1-us-west-2-accepter': { ready: true } }));
    expect(keysOf(active).filter((k) => k.includes('-options-'))).toEqual([
      'peering-us-east-1-us-west-2-options-requester',
      'peering-us-east-1-us-west-2-options-accepter',
    ]);
    expect(fp(byKey(active, 'peering-us-east-1-us-west-2-options-accepter')).region).toBe('us-west-2');
  });

  it('creates no peering when peering is off', () => {
    const off = managed(plan({ ...FULL_SPEC, network: { ...FULL_SPEC.network, peering: false } }));
    expect(off.filter((m) => m.kind.startsWith('VPCPeering') || (m.kind === 'Route' && m.apiVersion.startsWith('ec2.')))).toEqual(
      [],
    );
  });
});
