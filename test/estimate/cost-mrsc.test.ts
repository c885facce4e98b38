/**
 * DynamoDB multi-Region strong consistency (MRSC) has its own cost lines: the extra half RRU of a strongly consistent
 * read, and the replication transfer to a witness region; both assumptions are repeated in the notes.
 * Defaults: 100 reads a second of 1 KB items (0.5 RRU eventually consistent, 1 RRU strongly), 20 writes a second.
 */
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/estimate/cost.js';
import { PRICES } from '../../src/estimate/prices.js';
import { MINIMAL, lineOf, linesOf, planOf, specOf } from './helpers.js';

const TWO = {
  ...MINIMAL,
  tables: [{ name: 'items', hashKey: { name: 'id', type: 'S' }, consistency: 'strong', witnessRegion: 'us-east-2' }],
};
const estimate = (spec: object) => estimateCost(specOf(spec), planOf(spec));

describe('MRSC cost lines', () => {
  it('prices strongly consistent reads as their own line: the extra half RRU of every read', () => {
    const e = estimate(TWO);
    const reads = lineOf(e, 'us-east-1', 'DynamoDB', 'strongly consistent reads (MRSC)');
    // 100 reads/s × 730 h × 3600 s × 0.5 RRU = 131.4 M RRU
    expect(reads.quantity).toBeCloseTo(131.4, 6);
    expect(reads.unitUsd).toBe(PRICES.dynamodbRead.usd);
    expect(reads.monthlyUsd).toBeCloseTo(131.4 * PRICES.dynamodbRead.usd, 2);
  });

  it('prices the replication to the witness as inter-region transfer, and says both are assumptions', () => {
    const e = estimate(TWO);
    const witness = lineOf(e, 'us-east-1', 'DynamoDB', 'replication transfer to the MRSC witness us-east-2');
    // 20 writes/s × 1 KB × 730 h × 3600 s / 1024² = 50.125 GB
    expect(witness.quantity).toBeCloseTo(50.125122, 5);
    expect(e.notes.some((n) => n.includes('MRSC') && n.includes('assumption') && n.includes('witness us-east-2'))).toBe(true);
  });

  it('adds nothing to an eventually consistent table', () => {
    const e = estimate(MINIMAL);
    expect(linesOf(e, 'us-east-1', 'DynamoDB', 'strongly consistent')).toEqual([]);
    expect(linesOf(e, 'us-east-1', 'DynamoDB', 'replication transfer to the MRSC witness')).toEqual([]);
    expect(e.notes.join(' ')).not.toContain('MRSC');
  });
});
