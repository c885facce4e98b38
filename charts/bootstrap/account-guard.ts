/**
 * Which team may use which AWS account: a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, CEL) and its
 * binding, evaluated by the control plane's API server on every create and update of a DisasterRecovery claim. A
 * claim's `spec.providerConfigRef.name` (`default` when unset) must be one of the ProviderConfigs its namespace may
 * use: `settings.providerConfigAccess[namespace]`, else only `default`. Argo CD cannot say this (a ProviderConfig is
 * a field of the claim, not a destination), and the API server refuses the claim whoever applies it: Argo CD, kubectl
 * or the portal. Synced by drplane-provider-config with the ProviderConfigs it guards.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { GROUP } from '../../src/api/index.js';
import { ACCESS_ANNOTATION, ACCESS_HINT, ACCESS_PATH, ACCOUNT_GUARD } from '../../src/policy/account-access.js';
import { syncOptionsAnnotation } from './argo.js';
import { PROVIDER_CONFIG } from './providers.js';
import type { BootstrapSettings } from './settings.js';
import { globMatches } from './teams.js';

export { ACCOUNT_GUARD };

/** Resource (plural) of the claim kind, as the API server matches it. */
export const CLAIM_RESOURCE = 'disasterrecoveries';

/** A namespace name (RFC 1123 label). */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Throws, naming the setting and what to write, when an entry of `settings.providerConfigAccess` cannot hold. */
export function checkProviderConfigAccess(
  settings: Pick<BootstrapSettings, 'providerConfigAccess' | 'accounts' | 'claimNamespaces'>,
): void {
  const known = [PROVIDER_CONFIG, ...Object.keys(settings.accounts)];
  for (const [namespace, names] of Object.entries(settings.providerConfigAccess)) {
    const where = `settings.providerConfigAccess['${namespace}']`;
    if (!NAMESPACE.test(namespace) || namespace.length > 63 || !globMatches(settings.claimNamespaces, namespace))
      throw new Error(
        `${where}: the key is a team namespace, a DNS label matching claimNamespaces '${settings.claimNamespaces}' (for example team-payments)`,
      );
    if (!Array.isArray(names))
      throw new Error(`${where}: write the list of ProviderConfig names the namespace may use, e.g. ['default']`);
    for (const name of names)
      if (!known.includes(name))
        throw new Error(
          `${where}: ${JSON.stringify(name)} is no ProviderConfig of this control plane; write one of ${known.map((n) => `'${n}'`).join(', ')} (add an account under settings.accounts first)`,
        );
  }
}

/** A CEL string literal (single-quoted; the names are DNS names, so only quote and backslash need escaping). */
function celString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The CEL map literal namespace → allowed ProviderConfig names, in sorted order (deterministic output). */
export function accessMapCel(access: BootstrapSettings['providerConfigAccess']): string {
  const entries = Object.keys(access)
    .sort()
    .map((ns) => `${celString(ns)}: [${[...access[ns]!].map(celString).join(', ')}]`);
  return `{${entries.join(', ')}}`;
}

/** The same map as JSON (namespaces sorted), for drctl validate --account-guard (src/policy/account-access.ts). */
export function accessMapJson(access: BootstrapSettings['providerConfigAccess']): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(access)
        .sort()
        .map((ns) => [ns, [...access[ns]!]]),
    ),
  );
}

/** The ValidatingAdmissionPolicy and its binding. */
export class AccountGuardChart extends Chart {
  constructor(scope: Construct, id: string, settings: BootstrapSettings) {
    super(scope, id, { disableResourceNameHashes: true });
    checkProviderConfigAccess(settings);
    // Kept when its Application is deleted, like the ProviderConfigs it guards.
    const annotations = syncOptionsAnnotation({ stateful: true });
    new ApiObject(this, 'policy', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: {
        name: ACCOUNT_GUARD,
        annotations: { ...annotations, [ACCESS_ANNOTATION]: accessMapJson(settings.providerConfigAccess) },
      },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [GROUP], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: [CLAIM_RESOURCE] },
          ],
        },
        variables: [
          {
            name: 'requested',
            expression: `has(object.spec.providerConfigRef) && has(object.spec.providerConfigRef.name) ? object.spec.providerConfigRef.name : ${celString(PROVIDER_CONFIG)}`,
          },
          { name: 'access', expression: accessMapCel(settings.providerConfigAccess) },
          {
            name: 'allowed',
            expression: `request.namespace in variables.access ? variables.access[request.namespace] : [${celString(PROVIDER_CONFIG)}]`,
          },
        ],
        validations: [
          {
            expression: 'variables.requested in variables.allowed',
            messageExpression:
              `'${ACCESS_PATH}: namespace ' + request.namespace + ' may not use ProviderConfig ' + variables.requested + ` +
              "'; it may use ' + (size(variables.allowed) == 0 ? 'none' : variables.allowed.join(', ')) + " +
              `' ${ACCESS_HINT}'`,
            reason: 'Forbidden',
          },
        ],
      },
    });
    new ApiObject(this, 'binding', {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: ACCOUNT_GUARD, annotations },
      spec: { policyName: ACCOUNT_GUARD, validationActions: ['Deny'] },
    });
  }
}
