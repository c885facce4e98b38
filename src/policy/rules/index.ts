/** Every policy rule drplane runs, in the order they are documented (problems are sorted afterwards). */
import type { PolicyRule } from '../types.js';
import { CROSS_FIELD_POLICY_RULES } from './cross-field.js';
import { LAMBDA_RULES } from './lambda-environment.js';
import { LIST_RULES } from './lists.js';
import { NAME_RULES_POLICY } from './names.js';
import { OBJECTIVE_RULES } from './objectives.js';
import { OPERATION_RULES } from './operations.js';
import { REGION_RULES } from './regions.js';
import { PRIMITIVES } from '../../primitives/registry.js';

/** All policy rules: the API's cross-field rules first, then drplane's own (each primitive's from the registry). */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...CROSS_FIELD_POLICY_RULES,
  ...REGION_RULES,
  ...LIST_RULES,
  ...Object.values(PRIMITIVES).flatMap((p) => p.rules),
  ...OBJECTIVE_RULES,
  ...OPERATION_RULES,
  ...NAME_RULES_POLICY,
  ...LAMBDA_RULES,
];
