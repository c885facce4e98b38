/**
 * Secrets Manager. Source: the plan's Secrets (secretsmanager Secret); a secret is billed in its region and each
 * replica (forProvider.replica) is billed as a secret in the replica's region. API calls are not priced: the
 * orchestrator reads its secret only when it runs a failover.
 */
import { forProvider, GROUPS, listField } from '../inventory.js';
import { line, type PlacedLine } from '../lines.js';
import type { CostContext } from './context.js';

/** Every Secrets Manager line: per region, the secrets and replicas that live there. */
export function secretLines(ctx: CostContext): PlacedLine[] {
  const count = new Map<string, { secrets: number; replicas: number }>();
  const add = (region: string, key: 'secrets' | 'replicas') => {
    const c = count.get(region) ?? { secrets: 0, replicas: 0 };
    count.set(region, { ...c, [key]: c[key] + 1 });
  };
  for (const s of ctx.inventory.find({ group: GROUPS.secretsmanager, kind: 'Secret' })) {
    const fp = forProvider(s);
    add(String(fp.region ?? s.region), 'secrets');
    for (const r of listField(fp.replica)) add(String(r.region), 'replicas');
  }
  return ctx.regions.flatMap((region) => {
    const c = count.get(region);
    if (!c) return [];
    const what = [
      c.secrets ? `${c.secrets} secret${c.secrets === 1 ? '' : 's'}` : '',
      c.replicas ? `${c.replicas} replica${c.replicas === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return [
      line({
        component: 'Secrets Manager',
        region,
        basis: 'plan',
        item: what,
        quantity: c.secrets + c.replicas,
        priceId: 'secretsManagerSecret',
      }),
    ];
  });
}
