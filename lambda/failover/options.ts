/**
 * Options of the orchestrator's handlers, for tests; Lambda uses the defaults.
 */
import type { Env } from '../shared/env.js';
import type { LogSink } from '../shared/logger.js';
import type { ClientFactory } from './clients.js';

/** Options for tests; Lambda uses the defaults. */
export interface FailoverOptions {
  readonly env?: Env;
  readonly logSink?: LogSink;
  readonly clientFactory?: ClientFactory;
  readonly now?: () => Date;
}
