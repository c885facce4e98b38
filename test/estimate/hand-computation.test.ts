/**
 * docs/cost-hand-computation.md against the price table and against `drctl cost` (issue 22 item 6).
 *
 * The hand total of each example is recomputed here from the page's own quantities and the price table's
 * rows, without the estimate's code: every amount and hand total written on the page must be what the
 * price table gives today (so the page cannot drift from the table), and `drctl cost`'s total for the
 * same claim must be within ±10% of the hand total.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  AURORA_INSTANCE_HOURLY,
  AURORA_SIZE_FACTORS,
  PRICES,
  type PriceId,
  REGION_MULTIPLIERS,
} from '../../src/estimate/prices.js';
import { TRANSFER_RATES } from '../../src/estimate/transfer.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';

const PAGE = 'docs/cost-hand-computation.md';
const text = readFileSync(repoPath(PAGE), 'utf8');

/** Evaluates + - * / and parentheses over numbers and named constants; anything else is an error. */
function evaluate(expression: string, constants: Readonly<Record<string, number>>): number {
  const tokens = expression.match(/\d+(?:\.\d+)?(?:e\d+)?|[A-Za-z_]\w*|[-+*/()]/g) ?? [];
  if (tokens.join('') !== expression.replace(/\s+/g, '')) throw new Error(`cannot read quantity ${expression}`);
  let i = 0;
  const atom = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      if (tokens[i++] !== ')') throw new Error(`unbalanced ${expression}`);
      return v;
    }
    if (t === '-') return -atom();
    if (t !== undefined && /^\d/.test(t)) return Number(t);
    if (t !== undefined && constants[t] !== undefined) return constants[t];
    throw new Error(`unknown ${t} in ${expression}`);
  };
  const product = (): number => {
    let v = atom();
    while (tokens[i] === '*' || tokens[i] === '/') v = tokens[i++] === '*' ? v * atom() : v / atom();
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  const value = sum();
  if (i !== tokens.length) throw new Error(`cannot read quantity ${expression}`);
  return value;
}

/** Table rows of a markdown section: cells without the outer pipes, header and rule rows dropped. */
const rowsOf = (section: string): string[][] =>
  section
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l))
    .slice(1)
    .map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );

const code = (cell: string): string => /^`(.*)`$/.exec(cell)?.[1] ?? cell;

const constantsSection = text.split('\n## ').find((s) => s.startsWith('Constants'))!;
const constants: Record<string, number> = {};
for (const [name, value] of rowsOf(constantsSection)) constants[code(name!)] = evaluate(code(value!), constants);

/** The transfer rate of a pair, read from the transfer table's rows (most specific row first). */
function transferRate(from: string, to: string): number {
  const row = TRANSFER_RATES.find(
    (r) => (r.from.endsWith('-') ? from.startsWith(r.from) : r.from === from) && (r.to === undefined || r.to === to),
  );
  if (!row) throw new Error(`no transfer rate ${from} > ${to}`);
  return row.usd;
}

/** USD per unit of a page's price reference in a region. */
function price(reference: string, region: string): number {
  const multiplier = REGION_MULTIPLIERS[region === 'global' ? 'us-east-1' : region];
  if (multiplier === undefined) throw new Error(`region ${region} has no multiplier`);
  const aurora = /^aurora:db\.(\w+)\.(\w+)$/.exec(reference);
  if (aurora) return AURORA_INSTANCE_HOURLY[`db.${aurora[1]}`]! * AURORA_SIZE_FACTORS[aurora[2]!]! * multiplier;
  const transfer = /^transfer:([a-z0-9-]+)>([a-z0-9-]+)$/.exec(reference);
  if (transfer) return transferRate(transfer[1]!, transfer[2]!);
  const row = PRICES[reference as PriceId];
  if (!row) throw new Error(`unknown price ${reference}`);
  return row.scope === 'regional' ? row.usd * multiplier : row.usd;
}

interface Example {
  readonly file: string;
  readonly rows: { region: string; quantity: number; amount: number; written: string }[];
  readonly written: string;
}

const examples: Example[] = text
  .split('\n## ')
  .filter((s) => s.startsWith('examples/'))
  .map((section) => {
    const file = section.split('\n')[0]!.trim();
    let region = '';
    const rows = rowsOf(section).map(([r, , quantity, reference, written]) => {
      region = r || region;
      const q = evaluate(code(quantity!), constants);
      return { region, quantity: q, amount: Math.round(q * price(code(reference!), region) * 100) / 100, written: written! };
    });
    return { file, rows, written: /Hand total: \$([\d,.]*)/.exec(section)?.[1] ?? '' };
  });

const usd = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const byFile = new Map(examples.map((e) => [e.file, e]));
const totalOf = (e: Example) => Math.round(e.rows.reduce((c, r) => c + r.amount * 100, 0)) / 100;

describe(PAGE, () => {
  it('covers every example claim', () => {
    const claims = readdirSync(repoPath('examples'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `examples/${f}`)
      .sort();
    expect(examples.map((e) => e.file).sort()).toEqual(claims);
    expect(examples.every((e) => e.rows.length > 0)).toBe(true);
  });

  it.each(examples.map((e) => e.file))('%s: every amount and the hand total follow from the price table', (file) => {
    const e = byFile.get(file)!;
    for (const row of e.rows) expect(row.written, `${row.region} ${row.quantity}`).toBe(`$${usd(row.amount)}`);
    expect(e.written).toBe(usd(totalOf(e)));
  });

  it.each(examples.map((e) => e.file))(
    '%s: drctl cost is within ±10% of the hand total',
    async (file) => {
      const e = byFile.get(file)!;
      const r = await run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'cost', file, '--output', 'json'], {
        cwd: repoPath(),
        env: { NO_COLOR: '1' },
      });
      expect(r.code, r.stderr).toBe(0);
      const model = (JSON.parse(r.stdout) as { totalMonthlyUsd: number }).totalMonthlyUsd;
      const hand = totalOf(e);
      expect(Math.abs(model - hand) / hand, `drctl cost $${model} vs hand $${hand}`).toBeLessThanOrEqual(0.1);
    },
    60_000,
  );
});
