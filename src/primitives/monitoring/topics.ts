/**
 * XDRMonitoring's alert topics: in every region with alarms, an SNS topic encrypted with the region's monitoring key
 * (whose policy, once the account is observed, lets CloudWatch publish to it) and an email subscription per address.
 */
import { Topic, TopicSubscription } from '../../../imports/sns.aws.upbound.io.js';
import type { DRMonitoringSpec } from './schema.js';
import { arn, observedAccount, observedArn } from '../../compose/arn.js';
import type { ComposeContext } from '../../compose/context.js';
import { policyDocument } from '../../compose/iam.js';
import { accountAdministersKey, aliasName, keyKey, kmsKey } from '../../compose/kms.js';
import { shortHash } from '../../compose/naming.js';
import { own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';
import { MONITORING, topicKey } from './names.js';
import { watchedBy, watches } from './watches.js';

/**
 * The key policy of a monitoring key: the account administers the key through IAM (the default
 * policy's statement), and CloudWatch may use it to publish this account's alarm notifications in this
 * region to the encrypted topic (aws:SourceAccount and aws:SourceArn: no other account's alarm can make
 * CloudWatch use the key). SNS needs no statement of its own: it uses the key with each publisher's permissions.
 * With a watched primitive's EventBridge rules (a watch's eventRules: kubernetes' node-health.ts), EventBridge may use
 * it too, for this account only (aws:SourceAccount; the topic's policy narrows publishing to the rules): a service
 * publishing to an encrypted topic needs kms:Decrypt and kms:GenerateDataKey* on its key (SNS Developer Guide, "Enable
 * compatibility between event sources from AWS services and encrypted topics").
 */
export function monitoringKeyPolicy(region: string, account: string, eventRules = false): string {
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
    ...(eventRules
      ? [
          {
            Sid: 'EventBridgeRulesPublish',
            Effect: 'Allow' as const,
            Principal: { Service: 'events.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: ['*'],
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
        ]
      : []),
  ]);
}

/**
 * The policy of an alert topic that EventBridge rules publish to (a watch's eventRules): EventBridge may publish from
 * those rules only (aws:SourceArn), and CloudWatch from this account's alarms in this region. A topic policy replaces
 * SNS's default one, so the alarms' statement is written out (the form CloudWatch documents for alarm actions on a
 * topic with a policy); drplane's functions publish with their roles' IAM policies, which suffice in the same account.
 * Without a rule the topic keeps SNS's default policy (no `policy` is composed).
 */
export function alertTopicPolicy(topicArn: string, region: string, account: string, ruleArns: readonly string[]): string {
  return policyDocument([
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: [topicArn],
      Condition: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': arn('cloudwatch', region, account, 'alarm:*') },
      },
    },
    {
      Sid: 'EventBridgeRulesPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['sns:Publish'],
      Resource: [topicArn],
      Condition: { ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
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
  // A watched primitive's EventBridge rules publish to this topic (kubernetes: node-health.ts): the key and the topic
  // admit them.
  const rules = account === undefined ? [] : watches().flatMap((w) => w.eventRules?.arns(ctx, spec, region, account) ?? []);
  // From the claim (the watched flag), not only from the rules composed: the plan shows the policy the key keeps.
  const eventRules = rules.length > 0 || watchedBy(spec).some((w) => w.eventRules !== undefined);
  resources.push(
    ...kmsKey(ctx, MONITORING, region, {
      stateful: false,
      observed,
      ...(account === undefined ? {} : { policy: monitoringKeyPolicy(region, account, eventRules) }),
    }),
  );
  const name = ctx.namer.name('snsTopic', 'alerts', region);
  // The topic's ARN as observed (a policy names its own topic; the rule's target waits for the same ARN).
  const topicArn = observedArn(observed, topicKey(region));
  const policy =
    rules.length > 0 && account !== undefined && topicArn !== undefined
      ? alertTopicPolicy(topicArn, region, account, rules)
      : undefined;
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
          ...(policy === undefined ? {} : { policy }),
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
