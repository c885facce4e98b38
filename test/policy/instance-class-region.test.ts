/**
 * Per-region availability from cfn-lint's data: database.instance-class-region, the regional-table helpers it uses,
 * and the EC2 instance-type helper for node groups.
 */
import { describe, expect, it } from 'vitest';
import { AWS_REGIONS } from '../../src/api/regions.js';
import { AURORA_FACTS, instanceClassTable } from '../../src/facts/aurora.js';
import { EC2_FACTS, instanceTypeGap, instanceTypesIn } from '../../src/facts/ec2.js';
import { type RegionalTable, nearest, offeredEverywhere, offeredIn, regionsLacking } from '../../src/facts/regional.js';
import { instanceClassRegionsRule, instanceClassRule } from '../../src/primitives/database/rules.js';
import { FULL, check, spec } from './specs.js';

const DATA = `cfn-lint ${AURORA_FACTS.source.version} data of ${AURORA_FACTS.source.date}`;

/** FULL with the given regions (a CIDR each) and database fields. */
const estate = (regions: string[], database: Record<string, unknown> = {}) =>
  spec({
    regions: { primary: regions[0], secondaries: regions.slice(1) },
    network: {
      cidrs: Object.fromEntries(regions.map((r, i) => [r, `10.${i}.0.0/16`])),
      endpoints: FULL.network!.endpoints,
    },
    database: { ...FULL.database, ...database },
  });

describe('database.instance-class-region', () => {
  it('refuses a class one region of the claim lacks, naming that region and the nearest class all regions offer (issue 23)', () => {
    // cfn-lint's data: il-central-1 offers aurora-postgresql db.r5 and db.r7g classes but no db.r6g.
    expect(regionsLacking(instanceClassTable('aurora-postgresql'), 'db.r6g.large', ['us-east-1', 'il-central-1'])).toEqual([
      'il-central-1',
    ]);
    const problems = check(instanceClassRegionsRule, estate(['us-east-1', 'il-central-1']));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      severity: 'error',
      ruleId: 'database.instance-class-region',
      path: 'spec.database.instanceClass',
    });
    expect(problems[0]!.message).toBe(
      `db.r6g.large is not offered for aurora-postgresql in il-central-1 (${DATA}), so the cluster there cannot be created; ` +
        'write instanceClass: db.r7g.large (the nearest class that every region of the claim offers and global databases accept)',
    );
    expect(problems[0]!.fix).toEqual({ path: 'spec.database.instanceClass', value: 'db.r7g.large' });
    expect(check(instanceClassRegionsRule, estate(['us-east-1', 'il-central-1'], { instanceClass: 'db.r7g.large' }))).toEqual([]);
  });

  it('database.instance-class proposes a class every region of the claim offers', () => {
    const [usual] = check(instanceClassRule, estate(['us-east-1', 'us-west-2'], { instanceClass: 'db.t3.medium' }));
    expect(usual!.fix).toEqual({ path: 'spec.database.instanceClass', value: 'db.r6g.large' });
    const [israel] = check(instanceClassRule, estate(['us-east-1', 'il-central-1'], { instanceClass: 'db.t3.medium' }));
    expect(israel!.message).toContain(
      'write instanceClass: db.r7g.large (the nearest to it that every region of the claim offers)',
    );
    expect(israel!.fix).toEqual({ path: 'spec.database.instanceClass', value: 'db.r7g.large' });
  });

  it('names every region that lacks the class, in the order of the claim, and suggests one all of them offer', () => {
    const regions = ['us-east-1', 'ap-southeast-4', 'il-central-1'];
    const [problem] = check(instanceClassRegionsRule, estate(regions, { instanceClass: 'db.r8g.large' }));
    expect(problem!.message).toContain('db.r8g.large is not offered for aurora-postgresql in il-central-1 (');
    const instead = /write instanceClass: (\S+)/.exec(problem!.message)![1]!;
    expect(regionsLacking(instanceClassTable('aurora-postgresql'), instead, regions)).toEqual([]);
    expect(check(instanceClassRule, estate(regions, { instanceClass: instead }))).toEqual([]);
    const [both] = check(instanceClassRegionsRule, estate(regions, { instanceClass: 'db.r6i.large' }));
    expect(both!.message).toContain('in il-central-1 (');
    const [two] = check(
      instanceClassRegionsRule,
      estate(['us-east-1', 'ca-west-1', 'il-central-1'], { instanceClass: 'db.r6i.large' }),
    );
    expect(two!.message).toContain('db.r6i.large is not offered for aurora-postgresql in ca-west-1 and il-central-1 (');
  });

  it("reads the engine's own table (aurora-mysql db.r6i.large lacks me-central-1, aurora-postgresql's does not)", () => {
    const mysql = { engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.10.3', instanceClass: 'db.r6i.large' };
    expect(check(instanceClassRegionsRule, estate(['us-east-1', 'me-central-1'], mysql))[0]!.message).toContain(
      'not offered for aurora-mysql in me-central-1',
    );
    expect(check(instanceClassRegionsRule, estate(['us-east-1', 'me-central-1'], { instanceClass: 'db.r6i.large' }))).toEqual([]);
  });

  it('accepts the default class in the usual regions and leaves classes global databases refuse to database.instance-class', () => {
    expect(check(instanceClassRegionsRule, estate(['us-east-1', 'us-west-2', 'eu-west-1']))).toEqual([]);
    expect(check(instanceClassRegionsRule, estate(['us-east-1', 'il-central-1'], { instanceClass: 'db.t3.medium' }))).toEqual([]);
    expect(check(instanceClassRegionsRule, spec({ database: undefined }))).toEqual([]);
  });
});

describe('per-region tables', () => {
  const table: RegionalTable = {
    regions: ['a-1', 'b-1', 'c-1'],
    rows: { 'db.r6g.large': 'x.x', 'db.r7g.large': 'xxx', 'db.r5.large': 'xxx', 'db.r7g.xlarge': 'xxx', 'db.x2g.large': 'xx.' },
  };

  it('tell which regions offer an item and which lack it', () => {
    expect(offeredIn(table, 'db.r6g.large', 'a-1')).toBe(true);
    expect(offeredIn(table, 'db.r6g.large', 'b-1')).toBe(false);
    expect(offeredIn(table, 'db.r6g.large', 'z-9')).toBe(false);
    expect(offeredIn(table, 'db.unknown.large', 'a-1')).toBe(false);
    expect(regionsLacking(table, 'db.x2g.large', ['c-1', 'a-1', 'b-1'])).toEqual(['c-1']);
    expect(offeredEverywhere(table, ['a-1', 'b-1', 'c-1'])).toEqual(['db.r5.large', 'db.r7g.large', 'db.r7g.xlarge']);
  });

  it('find the nearest item: same size first (the larger on a tie), then the same kind and processor, nearest generation', () => {
    expect(nearest('db.r6g.large', ['db.r7g.xlarge', 'db.r5.large', 'db.r7g.large'])).toBe('db.r7g.large');
    expect(nearest('db.r6g.large', ['db.r7g.xlarge', 'db.r5.large'])).toBe('db.r5.large');
    expect(nearest('db.r6g.2xlarge', ['db.r6g.large', 'db.r6g.4xlarge', 'db.r6g.xlarge'])).toBe('db.r6g.4xlarge');
    expect(nearest('db.r6g.2xlarge', ['db.r6g.large', 'db.r6g.8xlarge', 'db.r6g.xlarge'])).toBe('db.r6g.xlarge');
    expect(nearest('m7g.large', ['c7g.large', 'm6g.large', 'm7i.large'])).toBe('m6g.large');
    expect(nearest('m5.large', [])).toBeUndefined();
  });

  it('cover exactly the regions drplane accepts, one character per region in every row', () => {
    for (const facts of [AURORA_FACTS, EC2_FACTS]) expect(facts.regions).toEqual(AWS_REGIONS);
    const rows = [
      ...Object.values(AURORA_FACTS.instanceClasses).flatMap(Object.values),
      ...Object.values(EC2_FACTS.instanceTypes),
    ];
    for (const row of rows) expect(row).toMatch(new RegExp(`^[x.]{${AWS_REGIONS.length}}$`));
  });
});

describe('EC2 instance types per region (for node groups)', () => {
  it('lists what a region offers', () => {
    const useast1 = instanceTypesIn('us-east-1');
    expect(useast1).toContain('m5.large');
    expect(useast1).toContain('m7g.large');
    expect(useast1.length).toBeGreaterThan(500);
    expect(instanceTypesIn('xx-nowhere-1')).toEqual([]);
  });

  it('says which regions of a set lack a type and the nearest type all of them offer', () => {
    // cfn-lint's data: m7g.large is not offered in ca-west-1 or eu-south-1.
    const gap = instanceTypeGap('m7g.large', ['us-east-1', 'eu-south-1', 'ca-west-1']);
    expect(gap?.lacking).toEqual(['eu-south-1', 'ca-west-1']);
    expect(gap?.nearest).toBe('m6g.large');
    expect(instanceTypeGap(gap!.nearest!, ['us-east-1', 'eu-south-1', 'ca-west-1'])).toBeUndefined();
    expect(instanceTypeGap('m7g.large', ['us-east-1', 'us-west-2'])).toBeUndefined();
  });
});
