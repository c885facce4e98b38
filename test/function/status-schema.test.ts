/**
 * Every status field the function writes is declared in the composite's status schema: the API
 * server refuses a status patch with an undeclared field ("field not declared in schema"), which the
 * e2e tier caught for lastFailover on the primitives.
 */
import { RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { COMPOSITE_KINDS } from '../../src/api/primitives.js';
import { runFunction } from '../../src/function/handler.js';
import { planClaim, compositeOf } from '../../src/compose/plan.js';
import { FULL_SPEC, claim } from '../compose/helpers.js';

/** Paths of `value` that `schema` (a zod object tree) does not declare. */
function undeclared(value: unknown, schema: { shape?: Record<string, unknown> } | undefined, path: string, out: string[]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const unwrapped = unwrap(schema);
  const shape = unwrapped?.shape as Record<string, unknown> | undefined;
  const record = (unwrapped as { def?: { type?: string; valueType?: unknown } } | undefined)?.def;
  for (const [k, v] of Object.entries(value)) {
    if (shape) {
      if (!(k in shape)) out.push(`${path}.${k}`);
      else undeclared(v, shape[k] as never, `${path}.${k}`, out);
    } else if (record?.type === 'record') undeclared(v, record.valueType as never, `${path}.${k}`, out);
  }
}

function unwrap(schema: unknown): { shape?: Record<string, unknown> } | undefined {
  let s = schema as { def?: { type?: string; innerType?: unknown }; shape?: Record<string, unknown> } | undefined;
  while (s?.def && (s.def.type === 'optional' || s.def.type === 'default' || s.def.type === 'nullable'))
    s = s.def.innerType as typeof s;
  return s;
}

describe('status written by the function', () => {
  const estate = claim({ ...FULL_SPEC, activeRegion: 'us-west-2' });
  const composites = [
    compositeOf(estate),
    ...planClaim(estate)
      .filter((p) => p.manifest.apiVersion.startsWith('drplane.io/'))
      .map((p) => p.manifest),
  ];

  it.each(composites.map((c) => [c.kind, c] as const))(
    '%s: every field is in its status schema, also after a failover',
    (kind, composite) => {
      const observed = {
        ...composite,
        metadata: { ...(composite.metadata ?? {}), name: 'x' },
        status: { activeRegion: 'us-east-1' },
      };
      const rsp = runFunction(RunFunctionRequest.fromJSON({ observed: { composite: { resource: observed } } }));
      const status = (rsp.desired!.composite!.resource as { status: Record<string, unknown> }).status;
      expect(status.lastFailover).toMatchObject({ from: 'us-east-1', to: 'us-west-2' });
      const schema = COMPOSITE_KINDS.find((k) => k.kind === kind)!.status;
      const extra: string[] = [];
      undeclared(status, schema as never, 'status', extra);
      expect(extra).toEqual([]);
    },
  );
});
