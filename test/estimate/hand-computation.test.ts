/**
 * docs/cost-hand-computation.md against the estimate (issue 22 item 6).
 *
 * The page is recomputed from itself alone: every row's quantity (an arithmetic expression over the page's
 * constants) times the row's own $/unit gives its amount, the amounts give the hand total. Only then is it
 * compared with the model, on three things that must each hold:
 * - every $/unit on the page equals the price the model uses for that row (PRICES, Aurora instance prices,
 *   the transfer table, in the row's region), so a price is changed in both places or the test fails;
 * - every component (the page's rows of one component in one region), and within it every price row, equals the
 *   model's lines of that component and price row in that region to the cent (a cent per page row of rounding
 *   allowed), and the two list the same components, so a changed quantity formula in the model fails here even
 *   when the total stays within range, and money moved between two lines of one component fails too;
 * - the total is within ±10% of the hand total (the issue's target).
 * The last block proves the comparison can fail: a model given a different input, or with one line's
 * quantity changed, or with a price changed, is reported against the page.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DisasterRecoveryClaimSchema } from '../../src/api/claim.js';
import { planClaim } from '../../src/compose/plan.js';
import type { AssumptionOverrides } from '../../src/estimate/assumptions.js';
import { type CostEstimate, estimateCost } from '../../src/estimate/cost.js';
import { PRICES, type PriceId, auroraInstanceHourly, ec2InstanceHourly, unitPrice } from '../../src/estimate/prices.js';
import { transferUsd } from '../../src/estimate/transfer.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';
import { threeRegionArc } from '../support/variants.js';

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
const dollars = (cell: string): number => {
  const m = /^\$([\d,]+(?:\.\d+)?)$/.exec(cell);
  if (!m) throw new Error(`not a dollar figure: ${cell}`);
  return Number(m[1]!.replace(/,/g, ''));
};
const cents = (usd: number): number => Math.round(Number((usd * 100).toPrecision(12)));

const constantsSection = text.split('\n## ').find((s) => s.startsWith('Constants'))!;
const constants: Record<string, number> = {};
for (const [name, value] of rowsOf(constantsSection)) constants[code(name!)] = evaluate(code(value!), constants);

/** One row of an example's table, read from the page alone. */
interface Row {
  readonly region: string;
  readonly component: string;
  readonly reference: string;
  readonly quantity: number;
  /** The page's own $/unit. */
  readonly unitUsd: number;
  /** The page's written amount, in cents. */
  readonly writtenCents: number;
}

interface Example {
  readonly file: string;
  readonly rows: readonly Row[];
  /** The page's written hand total, in cents. */
  readonly writtenTotalCents: number;
}

const examples: Example[] = text
  .split('\n## ')
  .filter((s) => s.startsWith('examples/'))
  .map((section) => {
    const file = section.split('\n')[0]!.trim();
    let region = '';
    const rows = rowsOf(section).map(([r, component, , quantity, unit, reference, written]): Row => {
      region = r || region;
      return {
        region,
        component: component!,
        reference: code(reference!),
        quantity: evaluate(code(quantity!), constants),
        unitUsd: dollars(unit!),
        writtenCents: cents(dollars(written!)),
      };
    });
    const total = /Hand total: (\$[\d,.]*)/.exec(section)?.[1];
    return { file, rows, writtenTotalCents: total ? cents(dollars(total)) : NaN };
  });

/** A row's amount from the page alone: its quantity × its own $/unit, in cents. */
const amountCents = (row: Row): number => cents(row.quantity * row.unitUsd);
const handTotal = (e: Example): number => e.rows.reduce((c, r) => c + amountCents(r), 0) / 100;

/** USD per unit the model uses for a page's price reference in a region. */
function modelPrice(reference: string, region: string): number {
  const where = region === 'global' ? 'us-east-1' : region;
  const aurora = /^aurora:(db\.\w+\.\w+)$/.exec(reference);
  if (aurora) return auroraInstanceHourly(aurora[1]!, where).usd;
  const ec2 = /^ec2:([a-z0-9-]+\.\w+)$/.exec(reference);
  if (ec2) return ec2InstanceHourly(ec2[1]!, where).usd;
  // data sent between regions, under the price row that names how AWS bills it: `transfer:` (interRegionTransfer)
  // or a backup copy's row, each at the pair's rate
  const transfer = /^(transfer|backupCopyTransferRds|backupCopyTransferBackup):([a-z0-9-]+)>([a-z0-9-]+)$/.exec(reference);
  if (transfer) return transferUsd(transfer[2]!, transfer[3]!);
  if (!(reference in PRICES)) throw new Error(`unknown price ${reference}`);
  return unitPrice(reference as PriceId, where);
}

/** The day the page prices EKS control planes on (`drctl cost --on`): the page names it, the estimate uses it. */
const PRICED_ON = '2026-12-06';

/** The estimate of an example claim, as `drctl cost --on PRICED_ON` makes it (optionally with changed assumptions). */
function estimateOf(file: string, overrides: AssumptionOverrides = {}): CostEstimate {
  const claim = DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath(file), 'utf8')));
  return estimateCost(claim.spec, planClaim(claim), { kubernetes: { supportOn: PRICED_ON }, ...overrides });
}

/** Key of a page row or a model line: its region and component, and with `byRow` its price row too. */
const keyOf = (region: string, component: string, priceRow: string, byRow: boolean): string =>
  byRow ? `${region} / ${component} / ${priceRow}` : `${region} / ${component}`;

/** Cents per (region, component[, price row]): the page's rows. */
function pageComponents(e: Example, byRow = false): Map<string, { cents: number; rows: number }> {
  const out = new Map<string, { cents: number; rows: number }>();
  for (const r of e.rows) {
    const key = keyOf(r.region, r.component, rowOf(r.reference), byRow);
    const c = out.get(key) ?? { cents: 0, rows: 0 };
    out.set(key, { cents: c.cents + amountCents(r), rows: c.rows + 1 });
  }
  return out;
}

/** Cents per (region, component[, price row]): the model's lines. */
function modelComponents(estimate: CostEstimate, byRow = false): Map<string, number> {
  const out = new Map<string, number>();
  const groups = [...Object.entries(estimate.regions), ['global', estimate.global] as const];
  for (const [region, group] of groups)
    for (const l of group.components) {
      if (cents(l.monthlyUsd) === 0) continue;
      const key = keyOf(region, l.component, l.priceId, byRow);
      out.set(key, (out.get(key) ?? 0) + cents(l.monthlyUsd));
    }
  return out;
}

/**
 * Where the page and the model disagree on a component (with `byRow`: on a price row within a component) by more
 * than a cent per page row of rounding, or list different components. Empty when they agree. The page is the
 * model's arithmetic written out, so rounding is the only slack: a percentage would let a large component (payments'
 * AWS Backup, $3,000) drift by tens of dollars unseen.
 */
function componentMismatches(e: Example, estimate: CostEstimate, byRow = false): string[] {
  const page = pageComponents(e, byRow);
  const model = modelComponents(estimate, byRow);
  const out: string[] = [];
  for (const key of new Set([...page.keys(), ...model.keys()])) {
    const p = page.get(key);
    const m = model.get(key);
    if (p === undefined || m === undefined) {
      out.push(`${key}: ${p === undefined ? `only in the model ($${(m ?? 0) / 100})` : `only on the page ($${p.cents / 100})`}`);
      continue;
    }
    if (Math.abs(p.cents - m) > p.rows) out.push(`${key}: page $${p.cents / 100}, model $${m / 100}`);
  }
  return out;
}

/** Rows whose $/unit differs from the model's price for their reference and region. */
function priceMismatches(e: Example, price: (reference: string, region: string) => number = modelPrice): string[] {
  return e.rows
    .filter((r) => Math.abs(r.unitUsd - price(r.reference, r.region)) > 1e-12)
    .map((r) => `${r.region} ${r.reference}: page $${r.unitUsd}, model $${price(r.reference, r.region)}`);
}

/** The price row a page reference names: a PRICES id, auroraInstance for `aurora:<class>`, ec2Instance for `ec2:<type>`, the row before `:` of a transfer. */
const rowOf = (reference: string): string =>
  reference.startsWith('aurora:')
    ? 'auroraInstance'
    : reference.startsWith('ec2:')
      ? 'ec2Instance'
      : reference.startsWith('transfer:')
        ? 'interRegionTransfer'
        : reference.split(':')[0]!;

/** Per region, price rows the model bills that the page does not name, and the other way round. */
function rowMismatches(e: Example, estimate: CostEstimate): string[] {
  const page = new Set(e.rows.map((r) => `${r.region} ${rowOf(r.reference)}`));
  const model = new Set(
    [...Object.entries(estimate.regions), ['global', estimate.global] as const].flatMap(([region, g]) =>
      g.components.filter((l) => cents(l.monthlyUsd) > 0).map((l) => `${region} ${l.priceId}`),
    ),
  );
  return [
    ...[...model].filter((k) => !page.has(k)).map((k) => `${k}: billed by the model, not on the page`),
    ...[...page].filter((k) => !model.has(k)).map((k) => `${k}: on the page, not billed by the model`),
  ];
}

const byFile = new Map(examples.map((e) => [e.file, e]));
const files = examples.map((e) => e.file);

describe(PAGE, () => {
  it('covers every example claim', () => {
    const claims = readdirSync(repoPath('examples'))
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `examples/${f}`)
      .sort();
    expect([...files].sort()).toEqual(claims);
    expect(examples.every((e) => e.rows.length > 0)).toBe(true);
  });

  it.each(files)('%s: every amount and the hand total follow from the page alone (quantity × its $/unit)', (file) => {
    const e = byFile.get(file)!;
    for (const row of e.rows)
      expect(row.writtenCents / 100, `${row.region} ${row.component} ${row.reference}`).toBe(amountCents(row) / 100);
    expect(e.writtenTotalCents / 100).toBe(handTotal(e));
  });

  it.each(files)("%s: every $/unit on the page is the model's price for that row and region", (file) => {
    const found = priceMismatches(byFile.get(file)!);
    expect(found, found.join('\n')).toEqual([]);
  });

  it.each(files)("%s: every component, and every price row within it, is the model's to the cent", (file) => {
    const estimate = estimateOf(file);
    const found = [
      ...componentMismatches(byFile.get(file)!, estimate),
      ...componentMismatches(byFile.get(file)!, estimate, true),
    ];
    expect(found, found.join('\n')).toEqual([]);
  });

  it.each(files)('%s: the page and the model bill the same price rows in every region', (file) => {
    const found = rowMismatches(byFile.get(file)!, estimateOf(file));
    expect(found, found.join('\n')).toEqual([]);
  });

  it.each(files)('%s: the model total is within ±10% of the hand total', (file) => {
    const e = byFile.get(file)!;
    const model = estimateOf(file).totalMonthlyUsd;
    const hand = handTotal(e);
    const delta = (model - hand) / hand;
    console.info(`${file}: hand $${hand.toFixed(2)}, model $${model.toFixed(2)}, delta ${(delta * 100).toFixed(2)}%`);
    expect(Math.abs(delta), `drctl cost $${model} vs hand $${hand}`).toBeLessThanOrEqual(0.1);
  });

  it('drctl cost prints the total the in-process estimate gives (payments)', async () => {
    const file = 'examples/payments.yaml';
    const r = await run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'cost', file, '--output', 'json'], {
      cwd: repoPath(),
      env: { NO_COLOR: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { totalMonthlyUsd: number }).totalMonthlyUsd).toBe(estimateOf(file).totalMonthlyUsd);
  }, 60_000);
});

describe(`${PAGE}: the comparison fails when the model moves`, () => {
  const payments = byFile.get('examples/payments.yaml')!;

  it('a model whose quantity changes (6 GB of logs a group instead of 0.5) is reported on that component only', () => {
    const found = componentMismatches(payments, estimateOf(payments.file, { logs: { otherGbPerGroup: 6 } }));
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((m) => m.includes('/ CloudWatch Logs:'))).toBe(true);
  });

  it('a model line whose quantity is 2% off is reported, though the total stays within ±10%', () => {
    const estimate = estimateOf(payments.file);
    const east = estimate.regions['us-east-1']!;
    const components = east.components.map((l) =>
      l.component === 'Aurora' && l.item.startsWith('db.') ? { ...l, monthlyUsd: Math.round(l.monthlyUsd * 102) / 100 } : l,
    );
    const mutated = { ...estimate, regions: { ...estimate.regions, 'us-east-1': { ...east, components } } };
    expect(componentMismatches(payments, mutated)).toEqual([expect.stringMatching(/^us-east-1 \/ Aurora: page/)]);
  });

  it('a model whose largest component drifts by 0.9% (about $28, the total barely moves) is reported', () => {
    const estimate = estimateOf(payments.file);
    const east = estimate.regions['us-east-1']!;
    const components = east.components.map((l) =>
      l.priceId === 'backupAuroraWarm' ? { ...l, monthlyUsd: Math.round(l.monthlyUsd * 100.9) / 100 } : l,
    );
    const mutated = { ...estimate, regions: { ...estimate.regions, 'us-east-1': { ...east, components } } };
    expect(componentMismatches(payments, mutated)).toEqual([expect.stringMatching(/^us-east-1 \/ AWS Backup: page/)]);
  });

  it('money moved between two price rows of one component is reported, though the component total is unchanged', () => {
    const estimate = estimateOf(payments.file);
    const east = estimate.regions['us-east-1']!;
    const moved = 100;
    const components = east.components.map((l) =>
      l.priceId === 'backupAuroraWarm'
        ? { ...l, monthlyUsd: l.monthlyUsd - moved }
        : l.priceId === 'backupCopyTransferRds'
          ? { ...l, monthlyUsd: l.monthlyUsd + moved }
          : l,
    );
    const mutated = { ...estimate, regions: { ...estimate.regions, 'us-east-1': { ...east, components } } };
    expect(componentMismatches(payments, mutated)).toEqual([]);
    expect(componentMismatches(payments, mutated, true)).toEqual([
      expect.stringMatching(/^us-east-1 \/ AWS Backup \/ backupAuroraWarm: page/),
      expect.stringMatching(/^us-east-1 \/ AWS Backup \/ backupCopyTransferRds: page/),
    ]);
  });

  it('a component the model adds or drops is reported', () => {
    const estimate = estimateOf(payments.file);
    const east = estimate.regions['us-east-1']!;
    const components = east.components.filter((l) => l.component !== 'API Gateway');
    const mutated = { ...estimate, regions: { ...estimate.regions, 'us-east-1': { ...east, components } } };
    expect(componentMismatches(payments, mutated)).toEqual(['us-east-1 / API Gateway: only on the page ($11.31)']);
  });

  it('a line the model bills under another price row is reported, though its component and amount stay the same', () => {
    const estimate = estimateOf(payments.file);
    const east = estimate.regions['us-east-1']!;
    const components = east.components.map((l) =>
      l.priceId === 'backupCopyTransferRds' ? { ...l, priceId: 'interRegionTransfer' as const } : l,
    );
    const mutated = { ...estimate, regions: { ...estimate.regions, 'us-east-1': { ...east, components } } };
    expect(componentMismatches(payments, mutated)).toEqual([]);
    expect(rowMismatches(payments, mutated)).toEqual(['us-east-1 backupCopyTransferRds: on the page, not billed by the model']);
  });

  it('a price the model changes without the page is reported', () => {
    const changed = (reference: string, region: string) =>
      reference === 'backupAuroraWarm' ? modelPrice(reference, region) * 1.1 : modelPrice(reference, region);
    const found = priceMismatches(payments, changed);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((m) => m.includes('backupAuroraWarm'))).toBe(true);
  });
});

describe(`${PAGE}: the routing.control arc variant of three-region, as a difference`, () => {
  const section = text.split('\n## ').find((s) => s.startsWith('Variant: examples/three-region.yaml + routing.control arc'))!;
  const rows = rowsOf(section).map(([region, component, , quantity, unit, reference, written]) => ({
    region: region!,
    component: component!,
    reference: code(reference!),
    quantity: evaluate(code(quantity!), constants),
    unitUsd: dollars(unit!),
    writtenCents: cents(dollars(written!)),
  }));
  const arc = threeRegionArc({ readiness: true });
  const base = DisasterRecoveryClaimSchema.parse(parse(readFileSync(repoPath('examples/three-region.yaml'), 'utf8')));

  /** The model's arc lines less the example's, per (region, component, price row), in cents; zero differences left out. */
  function modelDifference(withArc: CostEstimate, without: CostEstimate): Map<string, number> {
    const a = modelComponents(withArc, true);
    const b = modelComponents(without, true);
    const out = new Map<string, number>();
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const d = (a.get(key) ?? 0) - (b.get(key) ?? 0);
      if (d !== 0) out.set(key, d);
    }
    return out;
  }

  it('every amount and the hand total of the difference follow from the page alone, at the model’s prices', () => {
    expect(rows.length).toBe(6);
    for (const r of rows) {
      expect(r.writtenCents, r.reference).toBe(cents(r.quantity * r.unitUsd));
      expect(r.unitUsd, r.reference).toBe(modelPrice(r.reference, r.region));
    }
    const total = /Hand total of the difference: (\$[\d,.]*)/.exec(section)![1]!;
    expect(cents(dollars(total))).toBe(rows.reduce((c, r) => c + r.writtenCents, 0));
  });

  it("is the model's difference, price row by price row, to the cent", () => {
    const page = new Map(rows.map((r) => [keyOf(r.region, r.component, rowOf(r.reference), true), r.writtenCents]));
    const model = modelDifference(estimateCost(arc.spec, planClaim(arc)), estimateCost(base.spec, planClaim(base)));
    expect(Object.fromEntries(model)).toEqual(Object.fromEntries(page));
  });

  it('a model that bills one readiness check fewer is reported', () => {
    const withArc = estimateCost(arc.spec, planClaim(arc));
    const global = {
      ...withArc.global,
      components: withArc.global.components.map((l) =>
        l.priceId === 'arcReadinessCheck' ? { ...l, monthlyUsd: l.monthlyUsd - 0.045 * 730 } : l,
      ),
    };
    const page = new Map(rows.map((r) => [keyOf(r.region, r.component, rowOf(r.reference), true), r.writtenCents]));
    const model = modelDifference({ ...withArc, global }, estimateCost(base.spec, planClaim(base)));
    expect(Object.fromEntries(model)).not.toEqual(Object.fromEntries(page));
  });
});

describe('the page prices EKS on a stated day (audit 16 M2)', () => {
  it('names the day the estimate is compared on, and the extended-support figure it gives from 2027-03-27', () => {
    expect(text).toContain(`drctl cost examples/kubernetes.yaml --on ${PRICED_ON}`);
    expect(text).toContain("makes each region's row $438.00");
    const later = estimateOf('examples/kubernetes.yaml', { kubernetes: { supportOn: '2027-03-27' } });
    for (const region of ['us-east-1', 'us-west-2']) {
      const planes = later.regions[region]!.components.filter((l) => l.item.startsWith('cluster control plane'));
      expect(planes.map((l) => [l.priceId, l.monthlyUsd])).toEqual([['eksClusterExtendedHour', 438]]);
    }
  });
});
