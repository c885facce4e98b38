/**
 * Per-region availability tables (Aurora DB instance classes, EC2 instance types): which regions offer an item, which
 * of a claim's regions lack it, and the nearest item every one of them offers.
 */
import { OFFERED } from './source.js';

/** One item per row, one character per region (OFFERED or NOT_OFFERED), in the order of `regions`. */
export interface RegionalTable {
  /** Regions the rows cover, in column order. */
  readonly regions: readonly string[];
  /** Item (db.r6g.large, m7g.large) → its availability row. */
  readonly rows: Readonly<Record<string, string>>;
}

/** True when `region` offers `item`; false for an item or region the table does not know. */
export function offeredIn(table: RegionalTable, item: string, region: string): boolean {
  const column = table.regions.indexOf(region);
  return column >= 0 && table.rows[item]?.[column] === OFFERED;
}

/** The regions of `regions` (in their order) that do not offer `item`. */
export const regionsLacking = (table: RegionalTable, item: string, regions: readonly string[]): string[] =>
  regions.filter((region) => !offeredIn(table, item, region));

/** Items every one of `regions` offers, sorted. */
export const offeredEverywhere = (table: RegionalTable, regions: readonly string[]): string[] =>
  Object.keys(table.rows)
    .filter((item) => regions.every((region) => offeredIn(table, item, region)))
    .sort();

/** Items `region` offers, sorted. */
export const itemsIn = (table: RegionalTable, region: string): string[] =>
  Object.keys(table.rows)
    .filter((item) => offeredIn(table, item, region))
    .sort();

/** family (r6g, m7i-flex) and size (large, 2xlarge) of db.r6g.large or m7i-flex.2xlarge. */
function split(item: string): { family: string; size: string } {
  const [family = '', size = ''] = item.replace(/^db\./, '').split('.');
  return { family, size };
}

/** Orders sizes: nano < micro < small < medium < large < xlarge < 2xlarge < … < metal. */
function sizeRank(size: string): number {
  const named = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge'].indexOf(size);
  if (named >= 0) return named;
  const times = /^(\d+)xlarge$/.exec(size);
  if (times) return 5 + Math.log2(Number(times[1]));
  return 100; // metal and unknown sizes last
}

/** How far apart two families are: 0 same, then same kind and processor (r6g, r7g) by generation, then same kind. */
function familyDistance(a: string, b: string): number {
  if (a === b) return 0;
  const parse = (family: string) => /^([a-z]+)(\d+)([a-z0-9-]*)$/.exec(family) ?? [family, family, '0', ''];
  const [, kindA, genA, restA] = parse(a);
  const [, kindB, genB, restB] = parse(b);
  if (kindA !== kindB) return 100;
  const generations = Math.abs(Number(genA) - Number(genB));
  return restA === restB ? 1 + generations / 100 : 10 + generations / 100;
}

/**
 * The candidate nearest to `item`: the closest size first (the larger of two equally close, so capacity is not cut),
 * then the closest family (same kind and processor, nearest generation), then by name. Undefined without candidates.
 */
export function nearest(item: string, candidates: readonly string[]): string | undefined {
  const target = split(item);
  const score = (candidate: string): [number, number, number] => {
    const c = split(candidate);
    const d = sizeRank(c.size) - sizeRank(target.size);
    return [Math.abs(d), d < 0 ? 1 : 0, familyDistance(c.family, target.family)];
  };
  return [...candidates]
    .map((candidate) => ({ candidate, s: score(candidate) }))
    .sort((x, y) => x.s[0] - y.s[0] || x.s[1] - y.s[1] || x.s[2] - y.s[2] || (x.candidate < y.candidate ? -1 : 1))[0]?.candidate;
}
