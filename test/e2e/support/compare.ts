/**
 * Comparing what the API server holds with what src/compose says, in two ways:
 *
 * - against the function's own output for the cluster's state ({@link composeFromCluster}): the composite and its
 *   composed objects exactly as Crossplane passes them to the function. The cluster must hold exactly that — proof
 *   that Crossplane applied every desired resource, and that the estate reached a fixed point;
 * - against the plan (`planClaim`, the steady state `drctl plan` shows), where a value known only after creation is
 *   a placeholder such as `<status.atProvider.arn of kms-x, known after creation>`; such a placeholder, alone or
 *   inside a longer string (a JSON policy), matches whatever the cluster holds there ({@link planDifferences}).
 *
 * Either way the expected object is first defaulted with its CRD's schema, as the API server defaults it.
 */
import { isDeepStrictEqual } from 'node:util';
import { composeComposite, liveView, type ComposeOptions, type Manifest } from '../../../src/compose/index.js';
import { PARENT, RESOURCE_NAME } from '../../../src/compose/plan.js';
import type { KubeObject } from './kubectl.js';
import { applyDefaults, typeKey, type CrdIndex } from './schema.js';

/** Fields Crossplane keeps in a LegacyCluster composite's spec; not part of what the function composes. */
const CROSSPLANE_XR_FIELDS = new Set([
  'claimRef',
  'compositionRef',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionSelector',
  'compositionUpdatePolicy',
  'crossplane',
  'publishConnectionDetailsTo',
  'resourceRefs',
  'writeConnectionSecretToRef',
]);

/** The part of an object the function decides: spec (minus Crossplane's own composite fields), labels, annotations. */
export interface ComposedView {
  readonly spec: Record<string, unknown>;
  readonly labels: Record<string, unknown>;
  readonly annotations: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The view of an expected manifest, defaulted with its CRD's schema; annotations Crossplane adds are expected too. */
export function expectedView(manifest: Manifest, key: string, crds: CrdIndex, compositeGroup: string): ComposedView {
  const defaulted = applyDefaults(manifest, crds.get(typeKey(manifest.apiVersion, manifest.kind))?.schema) as Manifest;
  const metadata = (manifest.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  const { [PARENT]: _parent, ...annotations }: Record<string, string> = { ...metadata.annotations, [RESOURCE_NAME]: key };
  return { spec: specOf(defaulted, compositeGroup), labels: { ...metadata.labels }, annotations };
}

/** The view of a live object, with only the label and annotation keys that `expected` names. */
export function actualView(object: KubeObject, expected: ComposedView, compositeGroup: string): ComposedView {
  const pick = (from: Record<string, string> | undefined, keys: object) =>
    Object.fromEntries(Object.keys(keys).map((k) => [k, from?.[k]]));
  return {
    spec: specOf(object as Manifest, compositeGroup),
    labels: pick(object.metadata.labels, expected.labels),
    annotations: pick(object.metadata.annotations, expected.annotations),
  };
}

function specOf(object: Manifest, compositeGroup: string): Record<string, unknown> {
  const spec = isObject(object.spec) ? object.spec : {};
  if (!object.apiVersion.startsWith(`${compositeGroup}/`)) return spec;
  return Object.fromEntries(Object.entries(spec).filter(([k]) => !CROSSPLANE_XR_FIELDS.has(k)));
}

/**
 * What the function composes for `composite` given `children` (its composed objects by key), exactly as Crossplane
 * would call it: the composite and the children as the API server holds them.
 */
export function composeFromCluster(
  composite: KubeObject,
  children: ReadonlyMap<string, KubeObject>,
  options: ComposeOptions,
): Map<string, Manifest> {
  const observed = Object.fromEntries([...children].map(([key, o]) => [key, o as Manifest]));
  const result = composeComposite(composite as Manifest, liveView(observed), options);
  return new Map(result.resources.map((d) => [d.key, d.manifest]));
}

/** A value of the plan that is only known after creation (see src/compose/plan.ts `placeholder`, lambda.ts, failover.ts). */
const PLACEHOLDER = /<[^<>]*(?:known after creation|built by npm run build:lambda)>/;
const PLACEHOLDERS = new RegExp(PLACEHOLDER.source, 'g');

/** True when `actual` is what `planned` (a string that may hold placeholders) allows. */
function stringMatches(planned: string, actual: unknown): boolean {
  if (!PLACEHOLDER.test(planned)) return planned === actual;
  if (planned.replace(PLACEHOLDERS, '') === '' || actual === undefined) return true;
  if (typeof actual !== 'string') return false;
  const pattern = planned
    .split(PLACEHOLDERS)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
  return new RegExp(`^${pattern}$`, 's').test(actual);
}

/** Paths at which `actual` differs from `planned`, a placeholder matching anything (or nothing) in its place. */
export function planDifferences(planned: unknown, actual: unknown, path = ''): string[] {
  if (typeof planned === 'string') return stringMatches(planned, actual) ? [] : [path || '(root)'];
  if (Array.isArray(planned)) {
    if (!Array.isArray(actual) || actual.length !== planned.length) return [path || '(root)'];
    return planned.flatMap((p, i) => planDifferences(p, actual[i], `${path}[${i}]`));
  }
  if (isObject(planned)) {
    if (!isObject(actual)) return [path || '(root)'];
    const keys = [...new Set([...Object.keys(planned), ...Object.keys(actual)])].sort();
    return keys.flatMap((k) => planDifferences(planned[k], actual[k], path ? `${path}.${k}` : k));
  }
  return isDeepStrictEqual(planned, actual) ? [] : [path || '(root)'];
}
