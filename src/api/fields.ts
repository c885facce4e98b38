/**
 * Reusable field schemas of the drplane API. Every field carries a one-line description:
 * it becomes the `kubectl explain` text of the XRD, the CLI's `drctl explain` and the portal's help.
 */
import { z } from 'zod';
import { AWS_REGIONS } from './regions.js';

/** An AWS region name such as us-east-1. */
export const region = () => z.enum(AWS_REGIONS);

/** Environment suffix appended to every AWS name: lowercase letters, digits and inner hyphens, at most 12 characters. */
export const environment = () =>
  z
    .string()
    .min(1)
    .max(12)
    .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens only (for example prod or dev-2)')
    .describe(
      'Suffix appended to every AWS name (for example prod, qa, dev-2): lowercase letters, digits and inner hyphens, 1-12 characters.',
    );

/** production keeps data safe on deletion; test makes the whole estate destroyable. */
export const profile = () =>
  z
    .enum(['production', 'test'])
    .default('production')
    .describe(
      'production: deletion protection, final snapshots, stateful resources survive deletion of the claim. test: everything deletes cleanly.',
    );

/** Regions of the estate. */
export const regions = () =>
  z
    .object({
      primary: region().describe('Region that takes writes in normal operation.'),
      secondaries: z
        .array(region())
        .min(1)
        .max(5)
        .meta({ 'x-kubernetes-list-type': 'set' })
        .describe('Standby regions that receive replicas of every data store (1-5, distinct, not the primary).'),
    })
    .describe('Primary region and standby regions of the estate.');

/** The failures the objectives model times, each through the path that really runs for it. */
export const FAILURES = ['region-loss', 'application-fault', 'planned-switchover'] as const;

/** One failure type of FAILURES. */
export type FailureType = (typeof FAILURES)[number];

/** Recovery objectives the business asks for. */
export const objectives = () =>
  z
    .object({
      rpoSeconds: z
        .number()
        .int()
        .min(0)
        .max(86400)
        .describe('Recovery point objective: most data loss the business accepts, in seconds (0 = none).'),
      rtoMinutes: z
        .number()
        .int()
        .min(1)
        .max(1440)
        .describe('Recovery time objective: longest outage the business accepts, in minutes.'),
      failures: z
        .array(z.enum(FAILURES))
        .min(1)
        .max(FAILURES.length)
        .meta({ 'x-kubernetes-list-type': 'set' })
        .default(['region-loss'])
        .describe(
          'The failures these objectives apply to; each must be met through the path that runs for it. ' +
            'region-loss: the primary region is lost (unplanned failover; automatic mode cannot start from the lost region). ' +
            'application-fault: the service in the primary fails its health checks while the region and its data stores are up. ' +
            'planned-switchover: an operator moves the estate on purpose (drctl failover, drctl drill). Default: region-loss.',
        ),
    })
    .describe(
      'Recovery objectives the estate must meet for the failures in failures (default: loss of the primary region); drctl objectives checks what the estate delivers for each failure.',
    );

/** Most tags a claim may set: AWS allows 50 per resource, and drplane adds up to 10 of its own. */
export const MAX_CLAIM_TAGS = 40;

/** A tag key prefix AWS reserves for its own tags, in any case (tagging APIs refuse it). */
const RESERVED_TAG_PREFIX = /^aws:/i;

/** User tags added to every AWS resource that takes tags. */
export const tags = () =>
  boundedRecord(
    z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\w .:/=+\-@]+$/, 'tag keys use letters, digits, spaces and _ . : / = + - @')
      .refine((key) => !RESERVED_TAG_PREFIX.test(key), 'tag keys must not start with aws: (AWS reserves it for its own tags)'),
    z
      .string()
      .max(256)
      .regex(/^[\w .:/=+\-@]*$/, 'tag values use letters, digits, spaces and _ . : / = + - @'),
    MAX_CLAIM_TAGS,
    'tags',
  )
    .meta({
      'x-kubernetes-validations': [
        { rule: "self.all(k, !k.matches('^[aA][wW][sS]:'))", message: 'tag keys must not start with aws: (AWS reserves it)' },
      ],
    })
    .describe(
      `Tags added to every AWS resource that takes tags, besides Environment, ManagedBy and the claim name (at most ${MAX_CLAIM_TAGS}; keys must not start with aws:).`,
    );

/**
 * A map with at most `max` entries: enforced here (so `drctl validate` and the function refuse more)
 * and written as `maxProperties` into the XRD (so the API server does too).
 */
export const boundedRecord = <K extends z.ZodType<string, string>, V extends z.ZodType>(
  key: K,
  value: V,
  max: number,
  what: string,
) =>
  z
    .record(key, value)
    .refine((map) => Object.keys(map).length <= max, {
      message: `at most ${max} ${what}; remove ${what} until at most ${max} are left`,
    })
    .meta({ maxProperties: max });

/** Reference to the claim an estate belongs to, copied onto nested composites. */
export const owner = () =>
  z
    .object({
      name: z.string().min(1).max(253).describe('Name of the DisasterRecovery claim (or composite) that owns this estate.'),
      namespace: z.string().max(63).default('').describe('Namespace of the claim; empty for a composite created directly.'),
    })
    .describe('The DisasterRecovery claim this primitive belongs to; used in names and tags.');

/** Name of the ProviderConfig every managed resource uses when a claim names none (the provider's own default). */
export const DEFAULT_PROVIDER_CONFIG = 'default';

/** A Kubernetes object name (DNS-1123 subdomain): lowercase alphanumeric labels of `-`, separated by dots. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * The AWS ProviderConfig (cluster-scoped, `aws.upbound.io/v1beta1`) whose identity creates the estate: one per AWS
 * account, so one control plane can run estates in several accounts.
 */
export const providerConfigRef = () =>
  z
    .object({
      name: z
        .string()
        .min(1)
        .max(253)
        .regex(
          DNS1123_SUBDOMAIN,
          'the name of a ProviderConfig, a DNS-1123 subdomain: lowercase letters, digits, - and ., starting and ending with a letter or digit (for example aws-111122223333)',
        )
        .describe(
          `Name of an AWS ProviderConfig (aws.upbound.io/v1beta1) in the control plane; \`${DEFAULT_PROVIDER_CONFIG}\` when unset.`,
        ),
    })
    .describe(
      'The AWS ProviderConfig (one per AWS account) every managed resource of the estate uses; unset means `default`. A name other than `default` is part of the estate id; it cannot change once the claim exists (create a new claim for another account).',
    );
