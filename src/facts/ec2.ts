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

/**
 * Where the series below come from: the EC2 User Guide's naming conventions of instance types (a type is
 * `<series><generation><options>.<size>`: m7gd.large is series m, generation 7, options g (Graviton) and d (local disk)).
 */
export const INSTANCE_SERIES_SOURCE = 'EC2 User Guide, "Amazon EC2 instance type naming conventions" (instance-type-names)';

/** The series of an instance type: the letters before its generation digit (`inf` of inf2.xlarge, `g` of g5g.xlarge). */
export const seriesOf = (instanceType: string): string | undefined => /^([a-z]+)\d/.exec(instanceType)?.[1];

/**
 * Series of accelerated computing and what accelerates them: these need drivers (NVIDIA, Neuron) or runtimes that the
 * standard EKS-optimized AMIs lack.
 */
export const ACCELERATED_SERIES: Readonly<Record<string, string>> = {
  dl: 'deep learning accelerators',
  f: 'FPGAs',
  g: 'GPUs',
  gr: 'GPUs',
  inf: 'AWS Inferentia accelerators',
  p: 'GPUs',
  trn: 'AWS Trainium accelerators',
  vt: 'video transcoding accelerators',
};

/** What accelerates an instance type (its series'), or undefined for a type with none. */
export const acceleratorOf = (instanceType: string): string | undefined => {
  const series = seriesOf(instanceType);
  return series !== undefined && Object.hasOwn(ACCELERATED_SERIES, series) ? ACCELERATED_SERIES[series] : undefined;
};

/**
 * True for an arm64 (AWS Graviton) type: series a (A1, the first Graviton), or the processor option g after the
 * generation (m7g, c6gn, r8gd, g5g); every other type is x86_64.
 */
export const isArm64 = (instanceType: string): boolean =>
  seriesOf(instanceType) === 'a' || /^[a-z]+\d+[a-z-]*g/.test(instanceType.split('.')[0] ?? '');
