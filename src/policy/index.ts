/** The policy layer: validation of claims beyond what a schema can say. */
export * from './validate.js';
export { problem, policyContext, ANONYMOUS_CLAIM } from './types.js';
