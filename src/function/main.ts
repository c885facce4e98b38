/**
 * Entry point of the drplane composition function: a gRPC server (flags --address, --insecure,
 * --tls-server-certs-dir, --debug, from the function SDK) serving `runFunction`.
 */
import { serve, type FunctionHandler } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from './handler.js';

/** The function as the SDK's handler interface. */
export const handler: FunctionHandler = { RunFunction: async (req) => runFunction(req) };

serve(handler, { name: 'function-drplane' });
