/** A gRPC client for the composition function (no test-framework imports: bench/ uses it too). */
import * as grpc from '@grpc/grpc-js';
import {
  FunctionRunnerServiceService,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';

/** A connected client of a function's RunFunction service. */
export interface FunctionClient {
  run(req: RunFunctionRequest): Promise<RunFunctionResponse>;
  waitForReady(timeoutMs?: number): Promise<void>;
  close(): void;
}

type RawClient = grpc.Client & {
  runFunction(req: RunFunctionRequest, cb: (err: grpc.ServiceError | null, rsp?: RunFunctionResponse) => void): void;
};

/** An insecure client of the function at `address` (loopback only). */
export function functionClient(address: string): FunctionClient {
  const Client = grpc.makeGenericClientConstructor(
    FunctionRunnerServiceService,
    'apiextensions.fn.proto.v1.FunctionRunnerService',
  );
  const client = new Client(address, grpc.credentials.createInsecure()) as unknown as RawClient;
  return {
    run: (req) => new Promise((resolve, reject) => client.runFunction(req, (err, rsp) => (err ? reject(err) : resolve(rsp!)))),
    waitForReady: (timeoutMs = 30_000) =>
      new Promise((resolve, reject) => client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()))),
    close: () => client.close(),
  };
}
