/** Customer-managed KMS keys: one per region and purpose, rotation on, with a readable alias. */
import { Alias, Key } from '../../imports/kms.aws.upbound.io.js';
import { arn } from './arn.js';
import type { ComposeContext } from './context.js';
import { lastForProvider } from './observed.js';
import { own } from './selector.js';
import type { Statement } from './iam.js';
import type { DesiredResource, ObservedView } from './types.js';

/** Component label of a key for a purpose, e.g. kms-database. */
export const keyComponent = (purpose: string): string => `kms-${purpose}`;

/** Composition key of the KMS key of a purpose in a region. */
export const keyKey = (purpose: string, region: string): string => `kms-${purpose}-${region}`;

/** What every KMS alias name starts with in the KMS API. */
export const ALIAS_PREFIX = 'alias/';

/** The alias of the key of a purpose in a region (deterministic, so other resources may name the key by it). */
export const aliasName = (ctx: ComposeContext, purpose: string, region: string): string =>
  `${ALIAS_PREFIX}${ctx.namer.name('kmsAlias', purpose, region)}`;

/** Options of a key. */
export interface KeyOptions {
  /**
   * A custom key policy. Without one the key keeps the default key policy (the account's IAM
   * policies decide); a custom policy is passed once it can be written (it needs the account id).
   */
  readonly policy?: string;
  /**
   * False for keys that protect nothing that outlives the estate (build artifacts, alert topics):
   * they are deleted with it (after the deletion window) instead of being kept in production.
   */
  readonly stateful?: boolean;
  /**
   * For a key whose custom policy waits for an observed value (the account): without `policy`, the policy the key has
   * in the cluster (lastForProvider) is kept, so a lost status (a control-plane restore) does not take the policy out of
   * the desired state until the value is observed again.
   */
  readonly observed?: ObservedView;
}

/** A KMS key and its alias in one region, for one purpose (database, table-<name>, bucket-<name>, …). */
export function kmsKey(
  ctx: ComposeContext,
  purpose: string,
  region: string,
  { policy: wanted, stateful = true, observed }: KeyOptions = {},
): DesiredResource[] {
  const component = keyComponent(purpose);
  const last = observed === undefined ? undefined : lastForProvider(observed, keyKey(purpose, region))?.policy;
  const policy = wanted ?? (typeof last === 'string' && last !== '' ? last : undefined);
  const key = Key.manifest({
    metadata: ctx.metadata(component, region),
    spec: {
      forProvider: {
        region,
        description: `drplane ${purpose} key of ${ctx.estate.owner.name}-${ctx.estate.environment} in ${region}`,
        enableKeyRotation: true,
        deletionWindowInDays: ctx.production ? 30 : 7,
        tags: ctx.tags({ Name: ctx.namer.name('generic', purpose, region) }),
        ...(policy === undefined ? {} : { policy }),
      },
    },
  });
  const alias = Alias.manifest({
    // Without `alias/`: the provider's kmsAlias() adds it to the name and strips it from the external name it
    // observes, so an annotation with the prefix would be rewritten on every reconcile.
    metadata: ctx.metadata(`${component}-alias`, region, aliasName(ctx, purpose, region).slice(ALIAS_PREFIX.length)),
    spec: {
      forProvider: { region, targetKeyIdSelector: own(ctx, component, region) },
    },
  });
  return [
    { key: keyKey(purpose, region), manifest: stateful ? ctx.stateful(key) : key, region },
    { key: `${keyKey(purpose, region)}-alias`, manifest: alias, region },
  ];
}

/** Selector for the key of a purpose in a region (resolves to the key's ARN or ID per field). */
export function keySelector(ctx: ComposeContext, purpose: string, region: string) {
  return own(ctx, keyComponent(purpose), region);
}

/**
 * The statement of the default key policy: the account administers the key, and its IAM policies decide who
 * uses it. Every custom key policy starts with it. In a key policy, Resource "*" means this key.
 */
export function accountAdministersKey(account: string): Statement {
  return {
    Sid: 'AccountAdministersKey',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: ['kms:*'],
    Resource: ['*'],
  };
}

/**
 * CloudWatch Logs of the key's region may use the key for the named log groups only: the encryption context CloudWatch
 * Logs sends (`kms:EncryptionContext:aws:logs:arn`, the log group's ARN) names the group, its region and this
 * account, the condition AWS documents for keys of encrypted log groups.
 */
export function logsUseKey(region: string, account: string, logGroupName: string | readonly string[]): Statement {
  const groups = typeof logGroupName === 'string' ? [logGroupName] : logGroupName;
  const arns = groups.map((g) => arn('logs', region, account, `log-group:${g}`));
  return {
    Sid: 'CloudWatchLogsEncryptOneGroup',
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: ['*'],
    Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arns.length === 1 ? arns[0]! : arns } },
  };
}
