/**
 * EC2 instance types each of drplane's regions offers (src/facts/generated/ec2-instance-types.json, from cfn-lint's
 * data, `npm run facts`), for node groups: a type must be offered in every region of a claim.
 */
import data from './generated/ec2-instance-types.json' with { type: 'json' };
import { type RegionalTable, itemsIn, nearest, offeredEverywhere, regionsLacking } from './regional.js';
import type { FactsSource } from './source.js';

/** The generated EC2 facts. */
export interface Ec2Facts {
  readonly source: FactsSource;
  readonly regions: readonly string[];
  /** Instance type → availability row per region. */
  readonly instanceTypes: Readonly<Record<string, string>>;
}

/** EC2 instance types per region, from the pinned cfn-lint. */
export const EC2_FACTS: Ec2Facts = data as Ec2Facts;

const TABLE: RegionalTable = { regions: EC2_FACTS.regions, rows: EC2_FACTS.instanceTypes };

/** Instance types `region` offers, sorted (empty for a region drplane does not know). */
export const instanceTypesIn = (region: string): string[] => itemsIn(TABLE, region);

/** Where an instance type is missing: the regions of `regions` that lack it and the nearest type all of them offer. */
export interface InstanceTypeGap {
  /** Regions (in the given order) that do not offer the type. */
  readonly lacking: readonly string[];
  /** The offered type nearest to it in size and family, offered in every one of `regions`; undefined when none is. */
  readonly nearest?: string;
}

/** Undefined when every one of `regions` offers `type`; otherwise which lack it and what to use instead. */
export function instanceTypeGap(type: string, regions: readonly string[]): InstanceTypeGap | undefined {
  const lacking = regionsLacking(TABLE, type, regions);
  if (lacking.length === 0) return undefined;
  const instead = nearest(type, offeredEverywhere(TABLE, regions));
  return instead === undefined ? { lacking } : { lacking, nearest: instead };
}
