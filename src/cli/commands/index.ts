/**
 * Every drctl command. To add one, write src/cli/commands/<name>.ts exporting
 * `register(program: Command): void` and add ONE line here:
 *   export { register as <name> } from './<name>.js';
 * `drctl --help` lists the commands alphabetically.
 */
export { register as validate } from './validate.js';
export { register as plan } from './plan.js';
export { register as explain } from './explain.js';
export { register as cost } from './cost.js';
export { register as objectives } from './objectives.js';
export { register as failover } from './failover.js';
export { register as drill } from './drill.js';
export { register as status } from './status.js';
export { register as completion } from './completion.js';
export { register as unpause } from './unpause.js';
