/** Cost and recovery-objective estimates of an estate: pure models over the spec and the plan. */
export { estimateCost, type CostEstimate, type CostGroup } from './cost.js';
export {
  estimateObjectives,
  estimateSwitchover,
  type Advice,
  type FailureEstimate,
  type ObjectiveCheck,
  type ObjectivesEstimate,
  type Step,
  type StoreObjective,
} from './objectives.js';
export {
  DEFAULT_ASSUMPTIONS,
  resolveAssumptions,
  type AssumptionOverrides,
  type CostAssumptions,
  type BucketLoad,
  type TableLoad,
} from './assumptions.js';
export { PRICES, PRICE_TABLE_DATE, REGION_MULTIPLIERS, type PriceRow, type PriceId } from './prices.js';
export { DETECTION, DNS, LAG, PROMOTION, type Timing, type TimingBasis } from '../facts/timings.js';
export type { CostLine, Basis } from './lines.js';
