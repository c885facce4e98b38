/** Where drplane's generated AWS facts come from, and how a per-region availability row is written. */

/** The maintained source a generated facts file was extracted from (src/facts/generated, `npm run facts`). */
export interface FactsSource {
  /** PyPI package whose data files hold the facts. */
  readonly package: 'cfn-lint';
  /** Its pinned version (test/requirements.txt). */
  readonly version: string;
  /** Date of that version's data (its wheel's date), YYYY-MM-DD. */
  readonly date: string;
  /** Data files read, relative to the cfnlint package. */
  readonly files: readonly string[];
  /** The command that writes the file. */
  readonly generatedBy: string;
}

/** Marks a region that offers an item in a row of a per-region table (one character per region, in `regions` order). */
export const OFFERED = 'x';
/** Marks a region that does not offer an item. */
export const NOT_OFFERED = '.';

/** "cfn-lint 1.58.0 data of 2026-10-20": how messages name the source. */
export const describeSource = (source: FactsSource): string => `${source.package} ${source.version} data of ${source.date}`;
