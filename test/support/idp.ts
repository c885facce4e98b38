/**
 * A real OpenID Connect provider for tests (oidc-provider, its development sign-in pages): any login name signs in with
 * any password, and each user's groups come from the table given (read at each token: change it to change a user's
 * groups). It issues ID tokens signed with a key made for the run and refresh tokens, requires PKCE, and serves
 * RP-initiated logout and token revocation. Only ever listens on 127.0.0.1.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

/** A running provider. */
export interface TestIdp {
  /** Its issuer URL, `http://127.0.0.1:<port>`. */
  readonly issuer: string;
  /** The client registered for the portal. */
  readonly clientId: string;
  readonly clientSecret: string;
  close(): Promise<void>;
}

/**
 * Starts a provider on 127.0.0.1 with one confidential client for a portal at `portalUrl` (redirect URI
 * `<portalUrl>/auth/callback`, post-logout redirect `<portalUrl>/`); `groups` maps login names to their groups;
 * `refreshTokens: false` makes a provider that issues no refresh token.
 */
export async function startIdp(
  portalUrl: string,
  groups: Readonly<Record<string, readonly string[]>>,
  options: { readonly refreshTokens?: boolean } = {},
): Promise<TestIdp> {
  const listener: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server: Server = createServer((req, res) => listener.handle?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const clientId = 'drplane-portal';
  const clientSecret = randomBytes(24).toString('base64url');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${portalUrl}/auth/callback`],
        post_logout_redirect_uris: [`${portalUrl}/`],
        grant_types: options.refreshTokens === false ? ['authorization_code'] : ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig', kid: 'test' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    pkce: { required: () => true },
    // A refresh token with every sign-in (as Keycloak gives; other providers want the offline_access scope).
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Grant: 3600, Session: 3600 },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // The provider's own question (its default page loads web fonts): the form it gives, and a button to confirm.
        logoutSource: (ctx: { body: string }, form: string) => {
          ctx.body = `<!doctype html><meta charset="utf-8"><title>Sign out</title>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>`;
        },
        postLogoutSuccessSource: (ctx: { body: string }) => {
          ctx.body = '<!doctype html><meta charset="utf-8"><title>Signed out</title><p>Signed out.</p>';
        },
      },
    },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, preferred_username: id, name: id, email: `${id}@example.org`, groups: [...(groups[id] ?? [])] }),
    }),
  });
  listener.handle = provider.callback();
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
