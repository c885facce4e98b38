/**
 * The e2e tier's own comparison helpers, checked on small hand-made inputs: when they are wrong, the tier either
 * passes on a broken estate or fails on a good one. Pure functions: no control plane needed.
 */
import { describe, expect, it } from 'vitest';
import { planDifferences } from './support/compare.js';
import { applyDefaults, type JsonSchema } from './support/schema.js';

describe('applyDefaults', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          deletionPolicy: { type: 'string', default: 'Delete' },
          managementPolicies: { type: 'array', default: ['*'], items: { type: 'string' } },
          forProvider: {
            type: 'object',
            properties: {
              rules: { type: 'array', items: { type: 'object', properties: { enabled: { type: 'boolean', default: true } } } },
            },
          },
          tags: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string', default: 'x' } } } },
        },
      },
    },
  };

  it('fills absent properties, recursing into objects, array items and additionalProperties', () => {
    expect(applyDefaults({ spec: { forProvider: { rules: [{}, { enabled: false }] }, tags: { a: {} } } }, schema)).toEqual({
      spec: {
        deletionPolicy: 'Delete',
        managementPolicies: ['*'],
        forProvider: { rules: [{ enabled: true }, { enabled: false }] },
        tags: { a: { v: 'x' } },
      },
    });
  });

  it('keeps values that are set, and does not create absent parents', () => {
    expect(applyDefaults({ spec: { deletionPolicy: 'Orphan' } }, schema)).toEqual({
      spec: { deletionPolicy: 'Orphan', managementPolicies: ['*'] },
    });
    expect(applyDefaults({}, schema)).toEqual({});
  });
});

describe('planDifferences', () => {
  const arn = '<status.atProvider.arn of kms-x, known after creation>';

  it('finds nothing when equal, and the path of each difference', () => {
    expect(planDifferences({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toEqual([]);
    expect(planDifferences({ a: 1, b: [1, { c: 'x' }] }, { a: 2, b: [1, { c: 'y' }], d: true })).toEqual(['a', 'b[1].c', 'd']);
    expect(planDifferences({ a: [1, 2] }, { a: [1] })).toEqual(['a']);
  });

  it('lets a placeholder match any value, or none', () => {
    expect(planDifferences({ kmsKeyArn: arn }, { kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/abc' })).toEqual([]);
    expect(planDifferences({ kmsKeyArn: arn }, {})).toEqual([]);
  });

  it('lets a placeholder inside a longer string match only there', () => {
    const policy = JSON.stringify({ Resource: [arn], Action: 'kms:Decrypt' });
    expect(
      planDifferences({ policy }, { policy: JSON.stringify({ Resource: ['arn:aws:kms:k'], Action: 'kms:Decrypt' }) }),
    ).toEqual([]);
    expect(planDifferences({ policy }, { policy: JSON.stringify({ Resource: ['arn:aws:kms:k'], Action: 'kms:*' }) })).toEqual([
      'policy',
    ]);
  });

  it('does not let an ordinary string in angle brackets match anything', () => {
    expect(planDifferences({ a: '<not a placeholder>' }, { a: 'x' })).toEqual(['a']);
  });
});
