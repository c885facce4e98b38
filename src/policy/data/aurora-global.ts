/**
 * What Aurora global databases need besides an engine version: instance classes and regions.
 * Source: AWS Aurora User Guide, "Using Amazon Aurora global databases" (limitations: memory-optimized
 * classes only, no burstable db.t*) and "Supported Regions and DB engines for Aurora global databases"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html).
 * Checked 2026-11-23.
 */

/** Instance families a global database accepts (memory-optimized; db.x2g for very large memory). */
export const GLOBAL_DATABASE_FAMILIES: readonly string[] = ['r5', 'r6g', 'r6i', 'r7g', 'r7i', 'r8g', 'x2g'];

/** Sizes of those families that exist: large and every Nxlarge. */
export const GLOBAL_DATABASE_SIZE = /^(large|\d*xlarge)$/;

/** The class suggested instead of one a global database refuses: the smallest Graviton class. */
export const SUGGESTED_INSTANCE_CLASS = 'db.r6g.large';

/** Regions drplane knows where Aurora global databases are not available (the page lists them as "Not available"). */
export const GLOBAL_DATABASE_UNAVAILABLE_REGIONS: readonly string[] = ['ap-east-2', 'ap-southeast-7'];
