/**
 * Availability-zone letters per region. Most regions have a, b and c; the exceptions below are
 * regions whose zone names skip a letter (AWS General Reference, "Availability Zones", 2026-11).
 */
const EXCEPTIONS: Record<string, readonly string[]> = {
  'ap-northeast-1': ['a', 'c', 'd'],
  'us-west-1': ['b', 'c'],
  'ca-central-1': ['a', 'b', 'd'],
};

/** The first `count` availability zones of a region (at most as many as the region has). */
export function zones(region: string, count: number): string[] {
  return (EXCEPTIONS[region] ?? ['a', 'b', 'c']).slice(0, count).map((letter) => `${region}${letter}`);
}
