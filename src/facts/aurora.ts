/** Aurora facts extracted from cfn-lint (src/facts/generated/aurora.json, `npm run facts`): versions and instance classes. */
import type { DATABASE_ENGINES } from '../api/sections.js';
import data from './generated/aurora.json' with { type: 'json' };
import type { RegionalTable } from './regional.js';
import type { FactsSource } from './source.js';

/** An Aurora engine drplane supports. */
export type AuroraEngine = (typeof DATABASE_ENGINES)[number];

/** What the data says about one engine's versions. */
export interface EngineVersionFacts {
  /** Every version the data lists (offered or deprecated), in a claim's form, oldest first. */
  readonly versions: readonly string[];
  /** The versions the data marks deprecated: AWS no longer creates clusters with them. */
  readonly deprecated: readonly string[];
}

/** The generated Aurora facts. */
export interface AuroraFacts {
  readonly source: FactsSource;
  /** Regions of the instance-class rows, in column order. */
  readonly regions: readonly string[];
  readonly engines: Readonly<Record<AuroraEngine, EngineVersionFacts>>;
  /** Engine → DB instance class → availability row per region. */
  readonly instanceClasses: Readonly<Record<AuroraEngine, Readonly<Record<string, string>>>>;
}

/** Aurora engine versions and per-region instance classes, from the pinned cfn-lint. */
export const AURORA_FACTS: AuroraFacts = data as AuroraFacts;

/** The instance classes of an engine as a per-region table. */
export const instanceClassTable = (engine: AuroraEngine): RegionalTable => ({
  regions: AURORA_FACTS.regions,
  rows: AURORA_FACTS.instanceClasses[engine],
});
