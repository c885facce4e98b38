/** Starts the drplane composition function in-process on a loopback port, and a client for it. */
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunner,
  newGrpcServer,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import { pino } from 'pino';
import { handler } from '../../src/function/handler.js';
import { functionClient } from './grpc-client.js';

/** A running in-process function server and a connected client. */
export interface InProcessFunction {
  readonly port: number;
  run(req: RunFunctionRequest): Promise<RunFunctionResponse>;
  close(): Promise<void>;
}

/** Starts the function on 127.0.0.1 with a free port, insecure (loopback only). */
export async function startInProcessFunction(): Promise<InProcessFunction> {
  const logger = pino({ level: 'silent' });
  const server = newGrpcServer(new FunctionRunner(handler, logger), logger);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const client = functionClient(`127.0.0.1:${port}`);
  return {
    port,
    run: (req) => client.run(req),
    close: async () => {
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
  };
}
