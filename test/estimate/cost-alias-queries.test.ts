/**
 * Route 53 queries of alias records (audit-17 L1): the public name's service records are alias A/AAAA records to the
 * regional API Gateway custom domains, and "Route 53 doesn't charge for alias queries to API Gateway APIs or other AWS
 * resources" (Route 53 Developer Guide, routing-to-api-gateway). The CNAME records of an estate without a custom
 * domain are still billed per query.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { planClaim } from '../../src/compose/plan.js';
import { estimateCost } from '../../src/estimate/cost.js';
import { repoPath } from '../support/paths.js';
import { FULL, linesOf, planOf, specOf } from './helpers.js';

const claimOf = (file: string) => DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples', file), 'utf8')));
const queryLines = (e: ReturnType<typeof estimateCost>) => linesOf(e, 'global', 'Route 53', 'DNS queries');

describe('DNS queries of alias records', () => {
  it('bills none for examples/three-region.yaml, whose service records are all alias records, and says why', () => {
    const claim = claimOf('three-region.yaml');
    const plan = planClaim(claim);
    const records = plan.filter(
      (r) => r.manifest.kind === 'Record' && (r.manifest.metadata as any)?.labels?.['drplane.io/component'] === 'service-record',
    );
    expect(records.length).toBe(6);
    expect(records.every((r) => (r.manifest as any).spec.forProvider.alias !== undefined)).toBe(true);
    const [line, ...more] = queryLines(estimateCost(claim.spec, plan));
    expect(more).toEqual([]);
    expect(line).toMatchObject({ quantity: 0, monthlyUsd: 0, basis: 'plan', priceId: 'dnsQueriesLatency' });
    expect(line!.item).toBe(
      'DNS queries, latency alias records to API Gateway: not billed (Route 53 Developer Guide, routing-to-api-gateway)',
    );
  });

  it('bills the CNAME service records of an estate without a custom domain per query, as before', () => {
    const [line, ...more] = queryLines(estimateCost(specOf(FULL), planOf(FULL)));
    expect(more).toEqual([]);
    // min(500 resolvers × 2,628,000 s / 30 s = 43.8M, 10M requests) = 10M latency queries × $0.60
    expect(line).toMatchObject({ quantity: 10, monthlyUsd: 6, priceId: 'dnsQueriesLatency' });
    expect(line!.item).toBe('DNS queries, latency records (TTL 30 s)');
  });
});
