/** The price table's hygiene, regional pricing and backup schedule reading. */
import { describe, expect, it } from 'vitest';
import {
  ADDED_ON,
  ASSUMED_ON,
  PRICES,
  PRICE_TABLE_DATE,
  type PriceId,
  type PriceRow,
  REGION_MULTIPLIERS,
  auroraInstanceHourly,
  regionalUnitPrice,
  unitPrice,
} from '../../src/estimate/prices.js';
import { REGIONAL_PRICES } from '../../src/estimate/regional-prices.js';
import { TRANSFER_RATES, transferNote, transferUsd } from '../../src/estimate/transfer.js';
import { backupsPerDay } from '../../src/estimate/schedule.js';

describe('price table', () => {
  it('names its source page and check date on every row', () => {
    for (const [id, row] of Object.entries(PRICES)) {
      expect(row.source, id).toMatch(/^[A-Z].* — https:\/\/aws\.amazon\.com\/\S+\/$/);
      // a row is from the table's date, or a later row with the day it was written; a noted one says what confirms it
      const r = row as PriceRow;
      if (r.confirmBy !== undefined) {
        expect([ASSUMED_ON, ADDED_ON], id).toContain(r.written);
        expect(r.confirmBy, id).toMatch(/pricing page/);
      } else expect([PRICE_TABLE_DATE, ASSUMED_ON], id).toContain(r.written);
      // only a row with a readable source is confirmed
      expect(r.status === 'confirmed', id).toBe(r.confirmedBy !== undefined);
      expect(row.usd, id).toBeGreaterThanOrEqual(0);
      expect(row.unit, id).not.toBe('');
    }
    expect(PRICE_TABLE_DATE).toBe('2026-11');
  });

  it("prices regional rows from the region's own row, else us-east-1's × the region multiplier", () => {
    expect(REGION_MULTIPLIERS['eu-west-1']).toBe(1.1);
    // eu-west-1 lists its own Aurora storage ($0.11) and DynamoDB rWRU ($0.7068), and S3 Standard at us-east-1's $0.023
    expect(regionalUnitPrice('auroraStorage', 'eu-west-1')).toEqual({ usd: 0.11, origin: 'listed' });
    expect(regionalUnitPrice('dynamodbReplicatedWrite', 'eu-west-1')).toEqual({ usd: 0.7068, origin: 'listed' });
    expect(regionalUnitPrice('s3Storage', 'eu-west-1')).toEqual({ usd: 0.023, origin: 'listed' });
    // no eu-west-1 row for HTTP APIs: $1.00 × 1.1; none for any row in sa-east-1: × 1.55
    expect(regionalUnitPrice('httpApiRequests', 'eu-west-1')).toEqual({ usd: 1.1, origin: 'fallback' });
    expect(regionalUnitPrice('auroraStorage', 'sa-east-1')).toEqual({ usd: 0.155, origin: 'fallback' });
    expect(regionalUnitPrice('auroraStorage', 'us-east-1')).toEqual({ usd: 0.1, origin: 'us-east-1' });
    expect(unitPrice('kmsKey', 'sa-east-1')).toBe(1);
    expect(unitPrice('healthCheckAws', 'eu-west-1')).toBe(0.5);
  });

  it('has a source, a status and a date on every regional row, priced in the PRICES row unit', () => {
    for (const [region, rows] of Object.entries(REGIONAL_PRICES))
      for (const [id, r] of Object.entries(rows)) {
        expect(PRICES[id as PriceId]?.scope, `${region} ${id}`).toBe('regional');
        expect(r.source, `${region} ${id}`).toMatch(/^https:\/\/aws\.amazon\.com\/.*, region /);
        expect(r.status, `${region} ${id}`).toBe('unconfirmed');
        expect(r.written).toBe('2026-12-05');
        expect(r.usd).toBeGreaterThan(0);
      }
  });

  it('prices Aurora classes by family and size, and errs high for unknown families', () => {
    // db.r6g.large $0.26; 2xlarge = 4 × large
    expect(auroraInstanceHourly('db.r6g.2xlarge', 'us-east-1')).toMatchObject({ usd: 1.04, known: true });
    expect(auroraInstanceHourly('db.r6g.2xlarge', 'us-east-1').origin).toBe('us-east-1');
    // eu-west-1 lists db.r7g.large at $0.305; a region without rows: 0.276 × 1.2 (ap-southeast-1)
    expect(auroraInstanceHourly('db.r7g.large', 'eu-west-1')).toEqual({ usd: 0.305, known: true, origin: 'listed' });
    expect(auroraInstanceHourly('db.r7g.large', 'ap-southeast-1')).toEqual({ usd: 0.3312, known: true, origin: 'fallback' });
    // unknown family: the r6i price ($0.29) of that size, flagged
    expect(auroraInstanceHourly('db.r9z.xlarge', 'us-east-1')).toEqual({ usd: 0.58, known: false, origin: 'us-east-1' });
  });
});

describe('backup schedule', () => {
  it.each([
    ['cron(0 5 * * ? *)', 1],
    ['cron(0 */6 * * ? *)', 4],
    ['cron(0 * * * ? *)', 24],
    ['cron(0/30 * * * ? *)', 48],
    ['cron(0 5,17 * * ? *)', 2],
    ['cron(0 5 ? * MON-FRI *)', 5 / 7],
    ['cron(0 5 1 * ? *)', 1 / 31],
  ])('%s makes %d recovery points a day', (schedule, perDay) => {
    expect(backupsPerDay(schedule)).toBeCloseTo(perDay, 10);
  });

  it('says when it cannot read a schedule', () => {
    expect(backupsPerDay('rate(1 day)')).toBeUndefined();
    expect(backupsPerDay('cron(0 25 * * ? *)')).toBeUndefined();
    expect(backupsPerDay('cron(0 5 L * ? *)')).toBeUndefined();
  });
});

describe('inter-region transfer per pair', () => {
  it('bills the source region’s rate, which differs by pair', () => {
    expect(transferUsd('us-east-1', 'us-east-2')).toBe(0.01);
    expect(transferUsd('us-east-2', 'us-east-1')).toBe(0.01);
    expect(transferUsd('us-east-1', 'us-west-2')).toBe(0.02);
    expect(transferUsd('eu-west-1', 'us-east-1')).toBe(0.02);
    expect(transferUsd('ap-northeast-1', 'us-west-2')).toBe(0.09);
    expect(transferUsd('sa-east-1', 'us-east-1')).toBe(0.138);
    expect(transferUsd('me-south-1', 'eu-west-1')).toBe(0.1105);
  });

  it('marks every rate it could not confirm as an assumption with its date and what would confirm it', () => {
    for (const row of TRANSFER_RATES) {
      expect(row.source).toMatch(
        /^Amazon EC2 on-demand pricing, Data Transfer .* — https:\/\/aws\.amazon\.com\/ec2\/pricing\/on-demand\/$/,
      );
      expect(row.status).toBe('unconfirmed');
      if (row.confirmBy !== undefined) {
        expect(row.written).toBe('2026-12-05');
        expect(row.confirmBy).toMatch(/Data Transfer OUT From Amazon EC2 To/);
      }
    }
    expect(transferNote('us-east-1', 'us-west-2')).toBeUndefined();
    expect(transferNote('us-east-1', 'us-east-2')).toMatch(
      /^inter-region transfer us-east-1 → us-east-2 at \$0.01\/GB is unconfirmed \(written 2026-12-05, not read on the page\)/,
    );
    // a region no row matches is priced at the dearest row and says so
    expect(transferUsd('il-central-1', 'us-east-1')).toBe(0.147);
    expect(transferNote('il-central-1', 'us-east-1')).toMatch(/no rate in the transfer table/);
  });
});
