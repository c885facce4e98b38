/** The drplane API: zod schemas, derived types and the composite kinds. */
export * from './claim.js';
export * from './primitives.js';
export * from './regions.js';
export * from './rules.js';
export * from './sections.js';
export { openApiSchema } from './openapi.js';
export * from './providers.js';
