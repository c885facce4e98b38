/**
 * The DR-operations role: the external ID from SSM (SecureString), then STS AssumeRole. A warm function reuses one
 * session's credentials until five minutes before they expire, so the polling states do not assume the role on every
 * poll; each session name (one per execution) has its own.
 */
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { ClientFactory, FailoverClients } from './clients.js';
import type { FailoverConfig } from './config.js';

const REUSE_MARGIN_MS = 5 * 60_000;

/** Assumes the operations role on first use and when the cached credentials are about to expire. */
export function operationsClients(
  own: FailoverClients,
  cfg: FailoverConfig,
  factory: ClientFactory,
  now: () => Date,
): (sessionName: string) => Promise<FailoverClients> {
  // Per session name (one per execution): CloudTrail attributes each call to the execution that made it, so a warm
  // function never reuses one execution's session for another.
  const cache = new Map<string, { clients: FailoverClients; expiresAt: number }>();
  return async (sessionName) => {
    const cached = cache.get(sessionName);
    if (cached !== undefined && cached.expiresAt - REUSE_MARGIN_MS > now().getTime()) return cached.clients;
    for (const [name, entry] of cache) if (entry.expiresAt - REUSE_MARGIN_MS <= now().getTime()) cache.delete(name);
    const param = await own
      .ssm(cfg.region)
      .send(new GetParameterCommand({ Name: cfg.externalIdParameter, WithDecryption: true }));
    const externalId = param.Parameter?.Value;
    if (externalId === undefined || externalId === '') throw new Error(`SSM parameter ${cfg.externalIdParameter} is empty`);
    const out = await own.sts(cfg.region).send(
      new AssumeRoleCommand({
        RoleArn: cfg.operationsRoleArn,
        RoleSessionName: sessionName.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
        ExternalId: externalId,
      }),
    );
    const c = out.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
      throw new Error('AssumeRole returned no credentials');
    }
    const clients = factory({
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
    });
    cache.set(sessionName, { clients, expiresAt: c.Expiration?.getTime() ?? now().getTime() + 15 * 60_000 });
    return clients;
  };
}
