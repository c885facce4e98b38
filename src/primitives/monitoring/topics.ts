/**
 * XDRMonitoring's alert topics: in every region with alarms, an SNS topic encrypted with the region's monitoring key
 * (whose policy, once the account is observed, lets CloudWatch publish to it) and an email subscription per address.
 */
import { Topic, TopicSubscription } from '../../../imports/sns.aws.upbound.io.js';
import type { DRMonitoringSpec } from './schema.js';
import { arn, observedAccount } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { policyDocument } from '../../compose/iam.js';
import { accountAdministersKey, aliasName, keyKey, kmsKey } from '../../compose/kms.js';
import { shortHash } from '../../compose/naming.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { MONITORING, topicKey } from './names.js';

/**
 * The key policy of a monitoring key: the account administers the key through IAM (the default
 * policy's statement), and CloudWatch may use it to publish this account's alarm notifications in this
 * region to the encrypted topic (aws:SourceAccount and aws:SourceArn: no other account's alarm can make
 * CloudWatch use the key). SNS needs no statement of its own: it uses the key with each publisher's permissions.
 */
export function monitoringKeyPolicy(region: string, account: string): string {
  return policyDocument([
    accountAdministersKey(account),
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: ['*'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': arn('cloudwatch', region, account, 'alarm:*') },
      },
    },
  ]);
}

/** The monitoring key, the alert topic and its email subscriptions in one region. */
export function alertTopic(
  ctx: ComposeContext,
  spec: DRMonitoringSpec,
  region: string,
  observed: ObservedView,
): DesiredResource[] {
  const resources: DesiredResource[] = [];
  const account = observedAccount(observed, [keyKey(MONITORING, region)]);
  resources.push(
    ...kmsKey(ctx, MONITORING, region, {
      stateful: false,
      ...(account === undefined ? {} : { policy: monitoringKeyPolicy(region, account) }),
    }),
  );
  const name = ctx.namer.name('snsTopic', 'alerts', region);
  resources.push({
    key: topicKey(region),
    region,
    manifest: Topic.manifest({
      metadata: ctx.metadata('alerts-topic', region, name),
      spec: {
        forProvider: {
          region,
          displayName: `drplane ${ctx.estate.owner.name}-${ctx.estate.environment} alerts`,
          // The alias is deterministic, so the topic names its key without waiting for the key id.
          kmsMasterKeyId: aliasName(ctx, MONITORING, region),
          tags: ctx.tags({ Name: name }),
        },
      },
    }),
  });
  for (const email of spec.monitoring.alertEmails) {
    resources.push({
      key: `alerts-${region}-email-${shortHash(email.toLowerCase(), 8)}`,
      region,
      manifest: TopicSubscription.manifest({
        metadata: ctx.metadata('alerts-subscription', region),
        spec: {
          forProvider: { region, protocol: 'email', endpoint: email, topicArnSelector: own(ctx, 'alerts-topic', region) },
        },
      }),
    });
  }
  return resources;
}
