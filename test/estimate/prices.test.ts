/** The price table's hygiene, regional pricing and backup schedule reading. */
import { describe, expect, it } from 'vitest';
import {
  ASSUMED_ON,
  PRICES,
  PRICE_TABLE_DATE,
  type PriceRow,
  REGION_MULTIPLIERS,
  auroraInstanceHourly,
  unitPrice,
} from '../../src/estimate/prices.js';
import { TRANSFER_RATES, transferNote, transferUsd } from '../../src/estimate/transfer.js';
import { backupsPerDay } from '../../src/estimate/schedule.js';

describe('price table', () => {
  it('names its source page and check date on every row', () => {
    for (const [id, row] of Object.entries(PRICES)) {
      expect(row.source, id).toMatch(/^[A-Z].* — https:\/\/aws\.amazon\.com\/\S+\/$/);
      // a row is from the table's date, or a later row with the day it was written; a noted one says what confirms it
      const r = row as PriceRow;
      if (r.confirmBy !== undefined) {
        expect(r.written, id).toBe(ASSUMED_ON);
        expect(r.confirmBy, id).toMatch(/pricing page/);
      } else expect([PRICE_TABLE_DATE, ASSUMED_ON], id).toContain(r.written);
      // only a row with a readable source is confirmed
      expect(r.status === 'confirmed', id).toBe(r.confirmedBy !== undefined);
      expect(row.usd, id).toBeGreaterThanOrEqual(0);
      expect(row.unit, id).not.toBe('');
    }
    expect(PRICE_TABLE_DATE).toBe('2026-11');
  });

  it('scales regional rows only', () => {
    expect(REGION_MULTIPLIERS['eu-west-1']).toBe(1.1);
    expect(unitPrice('auroraStorage', 'eu-west-1')).toBe(0.11);
    expect(unitPrice('kmsKey', 'sa-east-1')).toBe(1);
    expect(unitPrice('healthCheckAws', 'eu-west-1')).toBe(0.5);
  });

  it('prices Aurora classes by family and size, and errs high for unknown families', () => {
    // db.r6g.large $0.26; 2xlarge = 4 × large
    expect(auroraInstanceHourly('db.r6g.2xlarge', 'us-east-1')).toEqual({ usd: 1.04, known: true });
    // eu-west-1: 0.276 × 1.1 = 0.3036
    expect(auroraInstanceHourly('db.r7g.large', 'eu-west-1')).toEqual({ usd: 0.3036, known: true });
    // unknown family: the r6i price ($0.29) of that size, flagged
    expect(auroraInstanceHourly('db.r9z.xlarge', 'us-east-1')).toEqual({ usd: 0.58, known: false });
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
