/**
 * Which ProviderConfigs (AWS accounts) the claims of a namespace may name. The control plane's API server enforces it
 * with the bootstrap's ValidatingAdmissionPolicy (charts/bootstrap/account-guard.ts renders the same map into its CEL
 * and into the ACCESS_ANNOTATION this module reads); `drctl validate --account-guard <file>` runs the same check
 * offline and reports the same message.
 */
import { DEFAULT_PROVIDER_CONFIG } from '../api/fields.js';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import type { Problem } from './types.js';

/** Namespace → the ProviderConfig names its claims may use; a namespace not listed may use only `default`. */
export type ProviderConfigAccess = Readonly<Record<string, readonly string[]>>;

/** Name of the ValidatingAdmissionPolicy (and of its binding). */
export const ACCOUNT_GUARD = 'drplane-provider-config-access';

/** Annotation of the policy that holds the access map as JSON, for tools that cannot evaluate its CEL. */
export const ACCESS_ANNOTATION = 'drplane.io/provider-config-access';

/** Rule id of the problem drctl reports. */
export const ACCESS_RULE_ID = 'provider-config.access';

/** Where the map comes from, as every refusal says. */
export const ACCESS_HINT =
  '(settings.providerConfigAccess in charts/bootstrap/settings.ts, docs/gitops.md: Several accounts and clusters)';

/** The ProviderConfig a claim uses: its providerConfigRef's name, `default` when unset. */
export function requestedProviderConfig(claim: Pick<DisasterRecoveryClaim, 'spec'>): string {
  return claim.spec.providerConfigRef?.name ?? DEFAULT_PROVIDER_CONFIG;
}

/** The ProviderConfigs the claims of `namespace` may use. */
export function allowedProviderConfigs(access: ProviderConfigAccess, namespace: string): readonly string[] {
  return Object.hasOwn(access, namespace) ? access[namespace]! : [DEFAULT_PROVIDER_CONFIG];
}

/** The field every refusal is about. */
export const ACCESS_PATH = 'spec.providerConfigRef.name';

/** Why the claim is refused, without the field (a Problem's message; its path names the field). */
export function accessReason(namespace: string, requested: string, allowed: readonly string[]): string {
  return `namespace ${namespace} may not use ProviderConfig ${requested}; it may use ${allowed.length === 0 ? 'none' : allowed.join(', ')} ${ACCESS_HINT}`;
}

/** The refusal, word for word as the policy's messageExpression writes it: the field, then the reason. */
export function accessMessage(namespace: string, requested: string, allowed: readonly string[]): string {
  return `${ACCESS_PATH}: ${accessReason(namespace, requested, allowed)}`;
}

/** The problem of a claim whose namespace may not use its ProviderConfig, or undefined. */
export function accessProblem(
  claim: Pick<DisasterRecoveryClaim, 'spec' | 'metadata'>,
  access: ProviderConfigAccess,
): Problem | undefined {
  const requested = requestedProviderConfig(claim);
  const allowed = allowedProviderConfigs(access, claim.metadata.namespace);
  if (allowed.includes(requested)) return undefined;
  return {
    path: ACCESS_PATH,
    message: accessReason(claim.metadata.namespace, requested, allowed),
    ruleId: ACCESS_RULE_ID,
    severity: 'error',
  };
}

/** The access map of the annotation's JSON text; throws saying what is wrong. */
export function parseAccess(json: string): ProviderConfigAccess {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`annotation ${ACCESS_ANNOTATION} is not JSON; run npm run synth again`);
  }
  const ok =
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((names) => Array.isArray(names) && names.every((n) => typeof n === 'string'));
  if (!ok) throw new Error(`annotation ${ACCESS_ANNOTATION} must map namespaces to lists of names; run npm run synth again`);
  return value as ProviderConfigAccess;
}
