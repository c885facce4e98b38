/** Rules for the regions of the estate beyond the schema and the API's cross-field rules. */
import { type PolicyRule, problem, withFix } from '../types.js';

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
            withFix(
              problem(
                secondariesUniqueRule,
                `spec.regions.secondaries[${index}]`,
                `${region} is listed twice in secondaries; list each standby region once: secondaries: [${[...new Set(spec.regions.secondaries)].join(', ')}]`,
              ),
              { path: 'spec.regions.secondaries', value: [...new Set(spec.regions.secondaries)] },
            ),
          ],
    ),
};

/** Rules of the regions. */
export const REGION_RULES: readonly PolicyRule[] = [secondariesUniqueRule];
