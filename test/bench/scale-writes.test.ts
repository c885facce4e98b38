/** bench/scale/writes.ts: who wrote a change, from an object's managed fields. */
import { describe, expect, it } from 'vitest';
import { writerOf } from '../../bench/scale/writes.js';

describe('writerOf', () => {
  it('names the manager, operation and subresource of the newest managedFields entry', () => {
    expect(
      writerOf([
        { manager: 'apiextensions.crossplane.io/composed/abc', operation: 'Apply', time: '2026-12-06T16:00:00Z' },
        { manager: 'provider-aws', operation: 'Update', subresource: 'status', time: '2026-12-06T16:05:00Z' },
        { manager: 'kubectl', operation: 'Apply', time: '2026-12-06T15:00:00Z' },
      ]),
    ).toBe('provider-aws Update /status');
  });

  it('takes the last of entries written in the same second', () => {
    expect(
      writerOf([
        { manager: 'a', operation: 'Apply', time: '2026-12-06T16:00:00Z' },
        { manager: 'b', operation: 'Update', time: '2026-12-06T16:00:00Z' },
      ]),
    ).toBe('b Update');
  });

  it('says unknown when there are no managed fields', () => {
    expect(writerOf(undefined)).toBe('unknown');
    expect(writerOf([])).toBe('unknown');
  });
});
