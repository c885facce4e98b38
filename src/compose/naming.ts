/**
 * Deterministic AWS names. Every name is `<claim>-<logical>-<environment>[-<region code>]-<estate id>`:
 * readable, and unique per estate, because the estate id hashes the claim's namespace, name and
 * environment, and its ProviderConfig unless that is `default` (two claims `payments` in two namespaces never share an AWS name, in one account or
 * in the global S3 namespace). A name longer than its service allows is shortened deterministically:
 * the readable part is cut to fit and ended with a 6-character hash of the full name, and the estate
 * id stays at the end, so it stays unique and the same claim always gets the same name.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_PROVIDER_CONFIG } from '../api/fields.js';
import { regionCode } from '../api/regions.js';

/** Length and character rules of one kind of AWS name. */
export interface NameRule {
  /** Most characters the service accepts. */
  readonly max: number;
  /** Characters the service accepts in this name, as a regular expression for the whole name. */
  readonly pattern: RegExp;
  /** What the service documents, for messages. */
  readonly rule: string;
}

const DNS_LABELS = /^[a-z0-9][a-z0-9-]*[a-z0-9]$/;
const ALNUM_DASH = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Naming rules per service (AWS service quotas and API references, checked 2026-11). */
export const NAME_RULES = {
  s3Bucket: { max: 63, pattern: DNS_LABELS, rule: 'S3 bucket: 3-63 lowercase letters, digits and hyphens, globally unique' },
  iamRole: { max: 64, pattern: /^[\w+=,.@-]+$/, rule: 'IAM role: at most 64 characters' },
  iamPolicy: { max: 128, pattern: /^[\w+=,.@-]+$/, rule: 'IAM policy: at most 128 characters' },
  lambdaFunction: { max: 64, pattern: /^[A-Za-z0-9_-]+$/, rule: 'Lambda function: at most 64 letters, digits, - and _' },
  rdsIdentifier: {
    max: 63,
    pattern: /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/,
    rule: 'Aurora identifier: at most 63 characters, starts with a letter, no double or trailing hyphen',
  },
  dynamodbTable: { max: 255, pattern: /^[A-Za-z0-9_.-]+$/, rule: 'DynamoDB table: 3-255 letters, digits, _ . -' },
  logGroup: { max: 512, pattern: /^[\w\-/.#]+$/, rule: 'log group: at most 512 characters' },
  snsTopic: { max: 256, pattern: /^[A-Za-z0-9_-]+$/, rule: 'SNS topic: at most 256 letters, digits, - and _' },
  alarm: { max: 255, pattern: /^[\w\-. ]+$/, rule: 'CloudWatch alarm: at most 255 characters' },
  dashboard: { max: 255, pattern: /^[A-Za-z0-9_-]+$/, rule: 'dashboard: at most 255 letters, digits, - and _' },
  backupVault: { max: 50, pattern: /^[A-Za-z0-9_-]+$/, rule: 'backup vault: 2-50 letters, digits, - and _' },
  backupPlan: { max: 50, pattern: /^[A-Za-z0-9_.-]+$/, rule: 'backup plan: at most 50 letters, digits, - _ .' },
  kmsAlias: { max: 250, pattern: /^alias\/[A-Za-z0-9/_-]+$/, rule: 'KMS alias: alias/ then at most 250 characters' },
  schedule: { max: 64, pattern: /^[A-Za-z0-9_.-]+$/, rule: 'schedule or rule: at most 64 letters, digits, - _ .' },
  stateMachine: { max: 80, pattern: /^[A-Za-z0-9_-]+$/, rule: 'Step Functions state machine: at most 80 letters, digits, - _' },
  secret: { max: 512, pattern: /^[\w/+=.@-]+$/, rule: 'secret: at most 512 characters' },
  subnetGroup: {
    max: 255,
    pattern: /^[a-z0-9][a-z0-9-]*$/,
    rule: 'DB subnet group: at most 255 lowercase letters, digits, hyphens',
  },
  eksCluster: {
    max: 100,
    pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/,
    rule: 'EKS cluster: 1-100 letters, digits, - and _, starting with a letter or digit',
  },
  eksNodegroup: { max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, rule: 'EKS node group: 1-63 letters, digits, - and _' },
  arc: {
    max: 64,
    pattern: /^\S+$/,
    rule: 'Route 53 ARC cluster, control panel, routing control or safety rule: 1-64 non-blank characters',
  },
  // Names the composers make readiness names of by turning every other character into _ (routing/readiness.ts).
  arcReadiness: {
    max: 64,
    pattern: /^[A-Za-z0-9_-]+$/,
    rule: 'Route 53 ARC readiness cell, recovery group, resource set or check: 1-64 letters, digits and _ (botocore __stringMax64PatternAAZAZ09Z; - becomes _)',
  },
  generic: { max: 255, pattern: ALNUM_DASH, rule: 'at most 255 letters, digits and hyphens' },
} as const satisfies Record<string, NameRule>;

/** A kind of AWS name. */
export type NameKind = keyof typeof NAME_RULES;

/** A name fitted to its service's rules. */
export interface FittedName {
  /** The name to use in AWS. */
  readonly value: string;
  /** The name before shortening. */
  readonly full: string;
  /** True when the full name was too long and was shortened. */
  readonly shortened: boolean;
}

/** Hex hash of a string, `length` characters. */
export function shortHash(text: string, length = 6): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/**
 * Fits `readable` (plus `-<suffix>` when given) to its rule: unchanged when it fits, else the readable
 * part is cut and ended with a hash of the full name, and the suffix is kept whole.
 */
export function fitName(kind: NameKind, readable: string, suffix?: string): FittedName {
  const { max } = NAME_RULES[kind];
  const tail = suffix ? `-${suffix}` : '';
  const full = `${readable}${tail}`;
  if (full.length <= max) return { value: full, full, shortened: false };
  const head = readable.slice(0, max - 7 - tail.length).replace(/[-_.]+$/, '');
  return { value: `${head}-${shortHash(full)}${tail}`, full, shortened: true };
}

/** Identity of an estate that names derive from. */
export interface NamingContext {
  /** Claim (or composite) name. */
  readonly name: string;
  /** Claim namespace, empty for a bare composite. */
  readonly namespace: string;
  /** Environment suffix. */
  readonly environment: string;
  /**
   * The AWS ProviderConfig (so, the account) the estate lives in; undefined or `default` for the control plane's
   * default one. Any other name is part of the estate id: S3 bucket names are global across accounts, so the same
   * claim in two accounts (two control planes, or an estate moved to another account) must not share them.
   */
  readonly providerConfig?: string;
}

/** The text the estate id hashes: namespace/name/environment, then the ProviderConfig unless it is the default. */
export function estateKey(ctx: NamingContext): string {
  const base = `${ctx.namespace}/${ctx.name}/${ctx.environment}`;
  return ctx.providerConfig === undefined || ctx.providerConfig === DEFAULT_PROVIDER_CONFIG
    ? base
    : `${base}/${ctx.providerConfig}`;
}

/** A name the Namer made: the fitted name and the logical part it was made from. */
export interface MadeName extends FittedName {
  /** The logical part passed in (`aurora-1`, `lambda-service`), without claim, environment, region and estate id. */
  readonly logical: string;
}

/**
 * Builds every AWS name of one estate; composers name resources only through it. It remembers every name it made
 * (`made`), so compose can say beside each resource what its name was before shortening (src/compose/composed-names.ts).
 */
export class Namer {
  /** Every name made so far, by its value. */
  private readonly log = new Map<string, MadeName>();

  /**
   * Stable id of the estate (e + 7 hex digits of the hash of namespace/name/environment, and of the ProviderConfig
   * when it is not the default: see estateKey): the tail of every AWS name, and the estate label and tag.
   */
  readonly estateId: string;

  constructor(private readonly ctx: NamingContext) {
    // A letter first: an all-hex id such as 1e234567 reads as a number (even Infinity) in YAML, and
    // Aurora identifiers must not end in a hyphen or hold two.
    this.estateId = `e${shortHash(estateKey(ctx), 7)}`;
  }

  /** `<claim>-<logical>-<env>[-<region code>]-<estate id>`, fitted to the kind's rules. */
  fitted(kind: NameKind, logical: string, region?: string): FittedName {
    const parts = [this.ctx.name, logical, this.ctx.environment, region ? regionCode(region) : undefined];
    return this.remember(fitName(kind, parts.filter((p) => p !== undefined && p !== '').join('-'), this.estateId), logical);
  }

  /** The name this Namer made whose value is `value`, if it made one. */
  made(value: string): MadeName | undefined {
    return this.log.get(value);
  }

  private remember(name: FittedName, logical: string): FittedName {
    this.log.set(name.value, { ...name, logical });
    return name;
  }

  /** The AWS name of a resource. */
  name(kind: NameKind, logical: string, region?: string): string {
    return this.fitted(kind, logical, region).value;
  }

  /**
   * The bucket of a primitive's Lambda zips: `<claim>-<env>-<region code>-lambda-<purpose>-<estate id>`.
   * Its readable part ends in the purpose, every claim bucket's in a region code, so no bucket of a
   * claim can take its name.
   */
  lambdaBucket(purpose: string, region: string): FittedName {
    return this.remember(
      fitName('s3Bucket', `${this.ctx.name}-${this.ctx.environment}-${regionCode(region)}-lambda-${purpose}`, this.estateId),
      `lambda-${purpose}`,
    );
  }

  /** A globally unique S3 bucket name: `<claim>-<bucket>-<env>-<region code>-<estate id>`. */
  bucket(logical: string, region: string): FittedName {
    return this.fitted('s3Bucket', logical, region);
  }
}
