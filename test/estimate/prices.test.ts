/** The price table's hygiene, regional pricing and backup schedule reading. */
import { describe, expect, it } from 'vitest';
import { PRICES, PRICE_TABLE_DATE, REGION_MULTIPLIERS, auroraInstanceHourly, unitPrice } from '../../src/estimate/prices.js';
import { backupsPerDay } from '../../src/estimate/schedule.js';

describe('price table', () => {
  it('names its source page and check date on every row', () => {
    for (const [id, row] of Object.entries(PRICES)) {
      expect(row.source, id).toMatch(/^[A-Z].* — https:\/\/aws\.amazon\.com\/\S+\/$/);
      expect(row.checked, id).toBe(PRICE_TABLE_DATE);
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
