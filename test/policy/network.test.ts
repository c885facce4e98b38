/** CIDR arithmetic and the network rules: validity, prefix bounds, overlap, room for the subnets. */
import { describe, expect, it } from 'vitest';
import { subnetCidr } from '../../src/compose/cidr.js';
import { SUBNET_PREFIX_DELTA, freeNetwork, isPrivate, overlaps, parseCidr, subnetPrefix } from '../../src/policy/cidr.js';
import {
  addressesPerSubnet,
  cidrCapacityRule,
  cidrOverlapRule,
  cidrPrefixRule,
  cidrPrivateRule,
  cidrValidRule,
} from '../../src/primitives/network/rules.js';
import { FULL, check, spec } from './specs.js';

const net = (cidr: string) => {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`${cidr}: ${parsed.reason}`);
  return parsed.network;
};
const withCidrs = (cidrs: Record<string, string>, extra: Record<string, unknown> = {}) =>
  spec({ network: { ...FULL.network, cidrs, ...extra } });

describe('parseCidr', () => {
  it('accepts networks and computes their range', () => {
    expect(net('10.0.0.0/16')).toMatchObject({ prefix: 16, end: net('10.0.255.255/32').start });
    expect(net('0.0.0.0/0').end).toBe(2 ** 32 - 1);
    expect(net('192.168.1.128/25').start).toBe(net('192.168.1.128/32').start);
  });

  it.each([
    ['10.0.0.256/16', /invalid/],
    ['10.0.0/16', /invalid/],
    ['010.0.0.0/16', /leading zero/],
    ['10.0.0.0/33', /subnet mask/],
    ['10.0.0.0', /form a\.b\.c\.d\/n/],
    ['10.0.0.0/-1', /form/],
  ])('refuses %s', (cidr, reason) => {
    const parsed = parseCidr(cidr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it('refuses host bits and suggests the network meant', () => {
    expect(parseCidr('10.1.1.0/16')).toEqual({
      ok: false,
      reason: expect.stringContaining('host bits'),
      suggestion: '10.1.0.0/16',
    });
    expect(parseCidr('10.0.0.1/32').ok).toBe(true);
  });
});

describe('ranges', () => {
  it('detects overlap of contained and partly shared ranges, not of adjacent ones', () => {
    expect(overlaps(net('10.0.0.0/16'), net('10.0.128.0/17'))).toBe(true);
    expect(overlaps(net('10.0.0.0/8'), net('10.200.0.0/16'))).toBe(true);
    expect(overlaps(net('10.0.0.0/16'), net('10.1.0.0/16'))).toBe(false);
    expect(overlaps(net('10.0.0.0/24'), net('10.0.1.0/24'))).toBe(false);
  });

  it('finds the first free network of a size in 10/8', () => {
    expect(freeNetwork(16, [net('10.0.0.0/16'), net('10.1.0.0/16')])).toBe('10.2.0.0/16');
    expect(freeNetwork(16, [net('10.0.0.0/8')])).toBeUndefined();
  });

  it('tells private ranges from public ones', () => {
    expect(isPrivate(net('172.31.0.0/16'))).toBe(true);
    expect(isPrivate(net('172.32.0.0/16'))).toBe(false);
    expect(isPrivate(net('192.168.0.0/16'))).toBe(true);
  });

  it('uses the subnet size compose uses', () => {
    expect(subnetPrefix(16)).toBe(16 + SUBNET_PREFIX_DELTA);
    expect(subnetCidr('10.0.0.0/16', 1)).toBe(`10.0.64.0/${subnetPrefix(16)}`);
  });
});

describe('network rules', () => {
  it('network.cidr-invalid names the region and the fix', () => {
    const [problem] = check(cidrValidRule, withCidrs({ 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.1.0/16' }));
    expect(problem).toMatchObject({ path: 'spec.network.cidrs.us-west-2', severity: 'error' });
    expect(problem!.message).toContain('write 10.1.0.0/16');
  });

  it('network.cidr-prefix allows /16 to /24', () => {
    expect(check(cidrPrefixRule, withCidrs({ 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/24' }))).toEqual([]);
    const problems = check(cidrPrefixRule, withCidrs({ 'us-east-1': '10.0.0.0/15', 'us-west-2': '10.2.0.0/25' }));
    expect(problems.map((p) => p.path)).toEqual(['spec.network.cidrs.us-east-1', 'spec.network.cidrs.us-west-2']);
    expect(problems[0]!.message).toContain('for example 10.0.0.0/16');
    expect(problems[1]!.message).toContain('for example 10.2.0.0/24');
  });

  it('network.cidr-overlap names both regions and a free range', () => {
    const [problem, ...rest] = check(cidrOverlapRule, withCidrs({ 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.0.128.0/17' }));
    expect(rest).toEqual([]);
    expect(problem!.path).toBe('spec.network.cidrs.us-west-2');
    expect(problem!.message).toMatch(/10\.0\.128\.0\/17 \(us-west-2\) overlaps 10\.0\.0\.0\/16 \(us-east-1\)/);
    expect(problem!.message).toContain('for example 10.1.0.0/17');
  });

  it('network.cidr-overlap checks every pair of three regions', () => {
    const three = spec({
      regions: { primary: 'us-east-1', secondaries: ['us-west-2', 'eu-west-1'] },
      network: { ...FULL.network, cidrs: { 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/16', 'eu-west-1': '10.1.0.0/20' } },
    });
    expect(check(cidrOverlapRule, three).map((p) => p.path)).toEqual(['spec.network.cidrs.eu-west-1']);
  });

  it('network.cidr-too-small: /24 holds three AZ subnets, a /28 does not, and the message says the subnet size', () => {
    expect(
      check(cidrCapacityRule, withCidrs({ 'us-east-1': '10.0.0.0/24', 'us-west-2': '10.1.0.0/24' }, { availabilityZones: 3 })),
    ).toEqual([]);
    const [problem] = check(cidrCapacityRule, withCidrs({ 'us-east-1': '10.0.0.0/16', 'us-west-2': '10.1.0.0/28' }));
    expect(problem!.path).toBe('spec.network.cidrs.us-west-2');
    expect(problem!.message).toContain('/30 subnets of 4 addresses');
  });

  it('counts the addresses a subnet needs: reserved, interface endpoints, instances, Lambda ENIs', () => {
    const s = spec({ database: { ...FULL.database, instances: 4 } });
    // 5 reserved + 4 interface endpoints (secretsmanager, sns, logs, monitoring) + 2 instances per AZ + 2 Lambda ENIs
    expect(addressesPerSubnet(s, s.network!)).toBe(5 + 4 + 2 + 2);
  });

  it('network.cidr-not-private warns outside RFC 1918', () => {
    const problems = check(cidrPrivateRule, withCidrs({ 'us-east-1': '10.0.0.0/16', 'us-west-2': '100.64.0.0/16' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.severity).toBe('warning');
  });
});
