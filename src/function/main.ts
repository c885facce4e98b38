/**
 * Entry point of the drplane composition function: a gRPC server (flags --address, --insecure,
 * --tls-server-certs-dir, --debug, from the function SDK) serving `runFunction`.
 */
import { serve } from '@crossplane-org/function-sdk-typescript';
import { handler } from './handler.js';

serve(handler, { name: 'function-drplane' });
