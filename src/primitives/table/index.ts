/** XGlobalTable: a DynamoDB global table with a replica in every secondary region. */
import type { Primitive } from '../types.js';
import { composeTable } from './compose.js';
import { tableLines } from './cost.js';
import { TABLE_RULES } from './rules.js';

/** The table primitive: one composite per table of the claim. */
export const table: Primitive<'XGlobalTable'> = {
  key: 'table',
  holdsData: true,
  compose: (ctx, s) => ({ resources: composeTable(ctx, s.table) }),
  nested: (claim) => (claim.tables ?? []).map((t, i) => ({ section: `spec.tables[${i}]`, name: t.name, spec: { table: t } })),
  cost: tableLines,
  rules: TABLE_RULES,
};
