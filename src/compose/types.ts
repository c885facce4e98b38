/** Types shared by every composer: what goes in (composite, observed state) and what comes out. */

import type { ComposedName } from './composed-names.js';

/** A Kubernetes object as plain JSON. */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata?: Record<string, unknown>;
  spec?: unknown;
  [k: string]: unknown;
};

/** One resource the composite wants, keyed by a stable composition-resource name. */
export interface DesiredResource {
  /** Stable key (crossplane.io/composition-resource-name); never changes for the same logical resource. */
  readonly key: string;
  /** The managed resource or nested composite. */
  readonly manifest: Manifest;
  /** Region the resource lives in; undefined for global resources (IAM, Route 53) and nested composites. */
  readonly region?: string;
}

/** The state of composed resources as the function observed it, or as a plan assumes it. */
export interface ObservedView {
  /** True when the resource with this key exists and reports Ready=True. */
  ready(key: string): boolean;
  /** True when a resource with this key was composed before and still exists. */
  exists(key: string): boolean;
  /** A string field of an observed resource (e.g. status.atProvider.arn), if known. */
  field(key: string, path: string): string | undefined;
  /** True when a boolean field of an observed resource is true (e.g. status.regions.us-east-1.ready). */
  flag(key: string, path: readonly string[]): boolean;
  /** Any field of an observed resource as JSON (dotted, or as segments when keys hold dots); undefined when absent and always in a plan. */
  read(key: string, path: string | readonly string[]): unknown;
  /** True when this view describes a plan (steady state), not a live cluster. */
  readonly planning: boolean;
}

/** A message for the composite's events and the function results. */
export interface ComposeEvent {
  readonly severity: 'Normal' | 'Warning';
  readonly message: string;
}

/** What a composer returns. */
export interface ComposeResult {
  readonly resources: DesiredResource[];
  /** Fields to merge into the composite's status. */
  readonly status: Record<string, unknown>;
  readonly events: ComposeEvent[];
  /**
   * Seconds after which the answer may change by the clock alone, with nothing observed changing (a timer compose
   * waits on, such as the EKS fail-back's settle time); absent when only observed changes can change it. The function
   * keeps its response's TTL within it.
   */
  readonly recheckAfterSeconds?: number;
  /**
   * Connection details of the composite (written by Crossplane to the composite's
   * writeConnectionSecretToRef Secret), e.g. the failover orchestrator's external ID. Never in a plan.
   */
  readonly connectionDetails?: Readonly<Record<string, string>>;
  /**
   * Beside the manifests (never in them): the AWS names compose made for its resources, by resource key, each with
   * its rule and its name before shortening. Only keys of resources with such a name.
   */
  readonly names?: Readonly<Record<string, readonly ComposedName[]>>;
  /** Beside the manifests: the claim field each nested composite comes from (spec.database, spec.tables[0]), by key. */
  readonly sections?: Readonly<Record<string, string>>;
}

/** The bytes of one built Lambda zip, as the function adapter (or drctl plan) passes them in. */
export interface LambdaArtifactContent {
  /** Hex SHA-256 of the zip. */
  readonly sha256: string;
  /** The zip, base64-encoded. */
  readonly base64: string;
}

/** The built Lambda zips by handler name (service, lag-monitor, failover); a missing entry was not found. */
export type LambdaArtifacts = Partial<Record<'failover' | 'lag-monitor' | 'service', LambdaArtifactContent>>;

/** Inputs of compose that are not Kubernetes state, passed in by the adapter (function or CLI). */
export interface ComposeOptions {
  /**
   * The Lambda zips, loaded by the adapter from dist/lambda (compose does no I/O). Without them a
   * plan shows a placeholder for each zip's content, and a cluster gets no code object (and so no
   * function) until they are there.
   */
  readonly artifacts?: LambdaArtifacts;
  /**
   * The function adapter's clock at the call: the day to judge dated facts by (a retired Lambda runtime draws a Warning
   * event), and the moment the EKS fail-back gate measures how long serving capacity has held (scaling.ts, the only
   * resource it changes: a scale-down waits for it). Without it (a plan) no such event is raised and no scale-down is
   * taken.
   */
  readonly today?: Date;
}
