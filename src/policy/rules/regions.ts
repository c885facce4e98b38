/** Rules for the regions of the estate beyond the schema and the API's cross-field rules. */
import { type PolicyRule, problem } from '../types.js';

/** No region is listed twice in secondaries. */
export const secondariesUniqueRule: PolicyRule = {
  id: 'regions.secondaries-unique',
  severity: 'error',
  summary: 'Each secondary region may be listed only once.',
  check: (spec) =>
    spec.regions.secondaries.flatMap((region, index) =>
      spec.regions.secondaries.indexOf(region) === index
        ? []
        : [
            problem(
              secondariesUniqueRule,
              `spec.regions.secondaries[${index}]`,
              `${region} is listed twice in secondaries; list each standby region once`,
            ),
          ],
    ),
};

/** Rules of the regions. */
export const REGION_RULES: readonly PolicyRule[] = [secondariesUniqueRule];
