// The parts of oidc-provider (which ships no types) that test/support/idp.ts uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** An account the provider signs in. */
  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  /** An OpenID Connect provider (a Koa application). */
  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    /** The node http request listener. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    /** Trust X-Forwarded-* headers. */
    proxy: boolean;
  }
}
