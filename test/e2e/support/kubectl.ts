/**
 * A typed wrapper around the pinned kubectl, bound to one kubeconfig: apply, get as JSON, patch, delete.
 * Everything the tests do to the cluster goes through the real kubectl, as a person would do it.
 */
import { run, runOk, type RunResult } from '../../support/process.js';

/** A Kubernetes object as the tests read it. */
export type KubeObject = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    deletionTimestamp?: string;
  };
};

/** Where to look for objects of a resource type. */
export interface Scope {
  /** Namespace of namespaced resources; omit for cluster-scoped ones. */
  readonly namespace?: string;
  /** Label selector, e.g. `crossplane.io/composite=x`. */
  readonly selector?: string;
  /** Field selector, e.g. `involvedObject.uid=...`. */
  readonly fieldSelector?: string;
  /** Every namespace (`--all-namespaces`), for listing. */
  readonly allNamespaces?: boolean;
}

const scopeArgs = (scope: Scope = {}): string[] => [
  ...(scope.namespace ? ['--namespace', scope.namespace] : []),
  ...(scope.selector ? ['--selector', scope.selector] : []),
  ...(scope.fieldSelector ? ['--field-selector', scope.fieldSelector] : []),
  ...(scope.allNamespaces ? ['--all-namespaces'] : []),
];

/** kubectl with a fixed kubeconfig. */
export class Kubectl {
  constructor(
    readonly binary: string,
    readonly kubeconfig: string,
  ) {}

  /** Runs kubectl; resolves with the result whatever the exit code. */
  run(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return run(this.binary, ['--kubeconfig', this.kubeconfig, ...args], { timeoutMs: 60_000, ...options });
  }

  /** Runs kubectl and returns stdout; rejects with kubectl's message unless it exits 0. */
  async ok(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    return (await runOk(this.binary, ['--kubeconfig', this.kubeconfig, ...args], { timeoutMs: 60_000, ...options })).stdout;
  }

  /** `kubectl apply -f <file>` (client-side, as a person applies a claim). */
  applyFile(file: string): Promise<string> {
    return this.ok(['apply', '-f', file]);
  }

  /** `kubectl apply -f -` of YAML text (client-side). */
  applyYaml(yaml: string): Promise<string> {
    return this.ok(['apply', '-f', '-'], { input: yaml });
  }

  /**
   * Server-side apply of files or folders: needed for large CRDs, whose client-side last-applied annotation would
   * pass the 256 KiB annotation limit.
   */
  applyServerSide(paths: readonly string[]): Promise<string> {
    return this.ok(
      ['apply', '--server-side', '--force-conflicts', '--field-manager=drplane-e2e', ...paths.flatMap((p) => ['-f', p])],
      {
        timeoutMs: 180_000,
      },
    );
  }

  /** One object as JSON, or undefined when it does not exist. */
  async get(resource: string, name: string, scope: Scope = {}): Promise<KubeObject | undefined> {
    const result = await this.run(['get', resource, name, '--output', 'json', ...scopeArgs(scope)]);
    if (result.code === 0) return JSON.parse(result.stdout) as KubeObject;
    if (/\(NotFound\)/.test(result.stderr)) return undefined;
    throw new Error(`kubectl get ${resource} ${name} failed: ${result.stderr.trim()}`);
  }

  /** Every object of a resource type (or comma-separated types) in a scope. */
  async list(resource: string, scope: Scope = {}): Promise<KubeObject[]> {
    const out = await this.ok(['get', resource, '--output', 'json', ...scopeArgs(scope)]);
    return (JSON.parse(out) as { items: KubeObject[] }).items;
  }

  /** A merge patch of an object's status subresource. */
  patchStatus(resource: string, name: string, status: object, scope: Scope = {}): Promise<string> {
    return this.ok([
      'patch',
      resource,
      name,
      '--subresource=status',
      '--type=merge',
      '--patch',
      JSON.stringify({ status }),
      ...scopeArgs(scope),
    ]);
  }

  /** `kubectl delete` without waiting for finalizers (the tests poll for the objects to go). */
  delete(resource: string, name: string, scope: Scope = {}): Promise<string> {
    return this.ok(['delete', resource, name, '--wait=false', ...scopeArgs(scope)]);
  }
}
