/** Every policy rule drplane runs, in the order they are documented (problems are sorted afterwards). */
import type { PolicyRule } from '../types.js';
import { CROSS_FIELD_POLICY_RULES } from './cross-field.js';
import { DATABASE_RULES } from './database.js';
import { LIST_RULES } from './lists.js';
import { NAME_RULES_POLICY } from './names.js';
import { NETWORK_RULES } from './network.js';
import { OBJECTIVE_RULES } from './objectives.js';
import { OPERATION_RULES } from './operations.js';
import { REGION_RULES } from './regions.js';
import { ROUTING_RULES } from './routing.js';
import { SERVICE_RULES } from './service.js';
import { TABLE_RULES } from './tables.js';

/** All policy rules: the API's cross-field rules first, then drplane's own. */
export const POLICY_RULES: readonly PolicyRule[] = [
  ...CROSS_FIELD_POLICY_RULES,
  ...REGION_RULES,
  ...LIST_RULES,
  ...NETWORK_RULES,
  ...DATABASE_RULES,
  ...TABLE_RULES,
  ...SERVICE_RULES,
  ...ROUTING_RULES,
  ...OBJECTIVE_RULES,
  ...OPERATION_RULES,
  ...NAME_RULES_POLICY,
];
