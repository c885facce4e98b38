/** ObservedView implementations: one over live observed resources, one for the steady state of a plan. */
import type { Manifest, ObservedView } from './types.js';

type Condition = { type?: string; status?: string };

/** Reads a path such as status.atProvider.arn (dotted, or as segments when keys hold dots) from an object. */
export function readPath(obj: unknown, path: string | readonly string[]): unknown {
  const segments = typeof path === 'string' ? path.split('.') : path;
  return segments.reduce<unknown>(
    (o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
    obj,
  );
}

/** True when an object's status has condition Ready=True. */
export function isReady(obj: unknown): boolean {
  const conditions = readPath(obj, 'status.conditions');
  return Array.isArray(conditions) && conditions.some((c: Condition) => c.type === 'Ready' && c.status === 'True');
}

/**
 * Annotation of a composed resource that is only read for the status (an observed report): its readiness gates neither
 * the composite's nor its region's (it may be absent or unobservable for a while, e.g. while its region is lost), so
 * the function and regionReadiness count it as ready. Value "true".
 */
export const INFORMATIONAL = 'drplane.io/informational';

/** False for a composed resource annotated {@link INFORMATIONAL}: its readiness gates nothing. */
export const gatesReadiness = (manifest: Manifest): boolean =>
  (manifest.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.[INFORMATIONAL] !== 'true';

/** A view over the composed resources Crossplane observed, keyed by composition-resource name. */
export function liveView(observed: Readonly<Record<string, Manifest>>): ObservedView {
  return {
    planning: false,
    ready: (key) => isReady(observed[key]),
    exists: (key) => observed[key] !== undefined,
    flag: (key, path) => readPath(observed[key], path) === true,
    read: (key, path) => readPath(observed[key], path),
    field: (key, path) => {
      const value = readPath(observed[key], path);
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
  };
}

/**
 * The steady state a plan shows: every resource exists and is ready; a value known only after
 * creation is a visible placeholder built by `placeholder(key, path)`.
 */
export function steadyView(placeholder: (key: string, path: string) => string): ObservedView {
  return { planning: true, ready: () => true, exists: () => true, flag: () => true, field: placeholder, read: () => undefined };
}

/**
 * The forProvider Crossplane last saw on a composed resource, i.e. what was composed for it before: a resource once
 * composed is emitted again with it while a value it is built from is not observed (a lost status), instead of being
 * dropped from the desired state, which Crossplane would answer by deleting it. Undefined in a plan, and for a resource
 * never composed.
 */
export function lastForProvider(observed: ObservedView, key: string): Record<string, unknown> | undefined {
  if (observed.planning || !observed.exists(key)) return undefined;
  const last = observed.read(key, 'spec.forProvider');
  return last !== null && typeof last === 'object' && !Array.isArray(last) ? (last as Record<string, unknown>) : undefined;
}
