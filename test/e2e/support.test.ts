/**
 * The e2e tier's own comparison helpers, checked on small hand-made inputs: when they are wrong, the tier either
 * passes on a broken estate or fails on a good one. Pure functions: no control plane needed.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { autoScalingGroupOf } from '../../src/primitives/kubernetes/compose.js';
import { providerCrdsDir } from '../support/paths.js';
import { planDifferences } from './support/compare.js';
import type { KubeObject } from './support/kubectl.js';
import { standInStatus, type WatchedKind } from './support/provider-status-stand-in.js';
import { onWatchLines } from './support/watch-lines.js';
import { applyDefaults, type JsonSchema } from './support/schema.js';

describe('applyDefaults', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          deletionPolicy: { type: 'string', default: 'Delete' },
          managementPolicies: { type: 'array', default: ['*'], items: { type: 'string' } },
          forProvider: {
            type: 'object',
            properties: {
              rules: { type: 'array', items: { type: 'object', properties: { enabled: { type: 'boolean', default: true } } } },
            },
          },
          tags: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string', default: 'x' } } } },
        },
      },
    },
  };

  it('fills absent properties, recursing into objects, array items and additionalProperties', () => {
    expect(applyDefaults({ spec: { forProvider: { rules: [{}, { enabled: false }] }, tags: { a: {} } } }, schema)).toEqual({
      spec: {
        deletionPolicy: 'Delete',
        managementPolicies: ['*'],
        forProvider: { rules: [{ enabled: true }, { enabled: false }] },
        tags: { a: { v: 'x' } },
      },
    });
  });

  it('keeps values that are set, and does not create absent parents', () => {
    expect(applyDefaults({ spec: { deletionPolicy: 'Orphan' } }, schema)).toEqual({
      spec: { deletionPolicy: 'Orphan', managementPolicies: ['*'] },
    });
    expect(applyDefaults({}, schema)).toEqual({});
  });
});

describe('planDifferences', () => {
  const arn = '<status.atProvider.arn of kms-x, known after creation>';

  it('finds nothing when equal, and the path of each difference', () => {
    expect(planDifferences({ a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'x' }] })).toEqual([]);
    expect(planDifferences({ a: 1, b: [1, { c: 'x' }] }, { a: 2, b: [1, { c: 'y' }], d: true })).toEqual(['a', 'b[1].c', 'd']);
    expect(planDifferences({ a: [1, 2] }, { a: [1] })).toEqual(['a']);
  });

  it('lets a placeholder match any value, or none', () => {
    expect(planDifferences({ kmsKeyArn: arn }, { kmsKeyArn: 'arn:aws:kms:us-east-1:1:key/abc' })).toEqual([]);
    expect(planDifferences({ kmsKeyArn: arn }, {})).toEqual([]);
  });

  it('lets a placeholder inside a longer string match only there', () => {
    const policy = JSON.stringify({ Resource: [arn], Action: 'kms:Decrypt' });
    expect(
      planDifferences({ policy }, { policy: JSON.stringify({ Resource: ['arn:aws:kms:k'], Action: 'kms:Decrypt' }) }),
    ).toEqual([]);
    expect(planDifferences({ policy }, { policy: JSON.stringify({ Resource: ['arn:aws:kms:k'], Action: 'kms:*' }) })).toEqual([
      'policy',
    ]);
  });

  it('does not let an ordinary string in angle brackets match anything', () => {
    expect(planDifferences({ a: '<not a placeholder>' }, { a: 'x' })).toEqual(['a']);
  });
});

describe('the provider status stand-in', () => {
  /** The storage version of a pinned provider CRD, as the stand-in sees it. */
  const watched = (file: string, kind: string): WatchedKind => {
    const crd = parse(readFileSync(join(providerCrdsDir(), file), 'utf8')) as {
      spec: {
        group: string;
        names: { plural: string };
        versions: { name: string; storage: boolean; schema: { openAPIV3Schema: JsonSchema } }[];
      };
    };
    const version = crd.spec.versions.find((v) => v.storage)!;
    return {
      apiVersion: `${crd.spec.group}/${version.name}`,
      kind,
      plural: crd.spec.names.plural,
      schema: version.schema.openAPIV3Schema,
    };
  };
  const object = (kind: WatchedKind, name: string, forProvider: Record<string, unknown>): KubeObject => ({
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    metadata: { name, uid: `uid-${name}`, generation: 1, annotations: { 'crossplane.io/external-name': name } },
    spec: { forProvider },
  });

  it('answers a DNS-validated certificate with one CNAME per name on it, as ACM does', () => {
    const kind = watched('acm.aws.upbound.io_certificates.yaml', 'Certificate');
    const status = standInStatus(
      object(kind, 'cert', {
        region: 'us-east-1',
        domainName: 'pay.example.com',
        subjectAlternativeNames: ['pay.example.com', 'us-east-1.pay.example.com'],
        validationMethod: 'DNS',
      }),
      kind,
    );
    const options = (status.atProvider as { domainValidationOptions: Record<string, string>[] }).domainValidationOptions;
    expect(options.map((o) => o.domainName)).toEqual(['pay.example.com', 'us-east-1.pay.example.com']);
    for (const o of options) {
      expect(o.resourceRecordType).toBe('CNAME');
      expect(o.resourceRecordName).toMatch(new RegExp(`^_[0-9a-f]{32}\\.${o.domainName!.replaceAll('.', '\\.')}\\.$`));
      expect(o.resourceRecordValue).toMatch(/^_[0-9a-f]{32}\.[a-z0-9]{10}\.acm-validations\.aws\.$/);
    }
    expect(new Set(options.map((o) => o.resourceRecordName)).size).toBe(2);
  });

  it('gives a regional custom domain its target and hosted zone, keeping the configuration it was given', () => {
    const kind = watched('apigatewayv2.aws.upbound.io_domainnames.yaml', 'DomainName');
    const status = standInStatus(
      object(kind, 'pay.example.com', {
        region: 'eu-west-1',
        domainNameConfiguration: { endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2', ipAddressType: 'dualstack' },
      }),
      kind,
    );
    const config = (status.atProvider as { domainNameConfiguration: Record<string, string> }).domainNameConfiguration;
    expect(config).toMatchObject({ endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2', ipAddressType: 'dualstack' });
    expect(config.targetDomainName).toMatch(/^d-[a-z0-9]{10}\.execute-api\.eu-west-1\.amazonaws\.com$/);
    expect(config.hostedZoneId).toMatch(/^Z[A-Z0-9]{13}$/);
  });

  it('gives the ARC readiness kinds their ARN by name, and an ARC cluster its ARN and five regional endpoints', () => {
    for (const [file, kind, type] of [
      ['route53recoveryreadiness.aws.upbound.io_cells.yaml', 'Cell', 'cell'],
      ['route53recoveryreadiness.aws.upbound.io_recoverygroups.yaml', 'RecoveryGroup', 'recovery-group'],
      ['route53recoveryreadiness.aws.upbound.io_resourcesets.yaml', 'ResourceSet', 'resource-set'],
      ['route53recoveryreadiness.aws.upbound.io_readinesschecks.yaml', 'ReadinessCheck', 'readiness-check'],
    ] as const) {
      const k = watched(file, kind);
      const at = standInStatus(object(k, 'payments_x_prod_e1234567', {}), k).atProvider as Record<string, string>;
      expect(at, kind).toMatchObject({
        id: 'payments_x_prod_e1234567',
        arn: `arn:aws:route53-recovery-readiness::111122223333:${type}/payments_x_prod_e1234567`,
      });
    }
    const cluster = watched('route53recoverycontrolconfig.aws.upbound.io_clusters.yaml', 'Cluster');
    const at = standInStatus(object(cluster, 'payments-arc', { name: 'payments-arc' }), cluster).atProvider as {
      arn: string;
      clusterEndpoints: { endpoint: string; region: string }[];
    };
    expect(at.arn).toMatch(/^arn:aws:route53-recovery-control::111122223333:cluster\/[0-9a-f]{32}$/);
    expect(at.clusterEndpoints.map((e) => e.region)).toHaveLength(5);
    const control = watched('route53recoverycontrolconfig.aws.upbound.io_routingcontrols.yaml', 'RoutingControl');
    expect((standInStatus(object(control, 'c', {}), control).atProvider as { arn: string }).arn).toMatch(
      /^arn:aws:route53-recovery-control::111122223333:controlpanel\/[0-9a-f]{32}\/routingcontrol\/[0-9a-f]{16}$/,
    );
  });

  it('gives a managed node group the Auto Scaling group EKS runs its nodes in, where drplane reads it', () => {
    const kind = watched('eks.aws.upbound.io_nodegroups.yaml', 'NodeGroup');
    const at = standInStatus(object(kind, 'payments-nodes', { region: 'us-west-2', clusterName: 'payments-eks' }), kind)
      .atProvider as { id: string; arn: string; status: string; resources: unknown };
    expect(at.id).toBe('payments-eks:payments-nodes');
    expect(at.arn).toMatch(/^arn:aws:eks:us-west-2:111122223333:nodegroup\/payments-eks\/payments-nodes\/[0-9a-f-]{36}$/);
    expect(at.status).toBe('ACTIVE');
    expect(autoScalingGroupOf(at.resources)).toMatch(/^eks-payments-nodes-[0-9a-f-]{36}$/);
  });

  it('writes only fields the CRD declares, of the declared type', () => {
    const kind = watched('acm.aws.upbound.io_certificates.yaml', 'Certificate');
    const narrowed: WatchedKind = {
      ...kind,
      schema: {
        properties: {
          status: {
            properties: { atProvider: { properties: { arn: { type: 'string' }, domainValidationOptions: { type: 'string' } } } },
          },
        },
      },
    };
    const status = standInStatus(
      object(kind, 'cert', { region: 'us-east-1', domainName: 'a.example.com', validationMethod: 'DNS' }),
      narrowed,
    );
    expect(Object.keys(status.atProvider as object)).toEqual(['arn']);
  });
});

describe('onWatchLines', () => {
  it('hands over complete non-empty lines across chunk boundaries, and stops when told', async () => {
    const res = new PassThrough() as unknown as IncomingMessage;
    const seen: string[] = [];
    onWatchLines(res, (line) => {
      seen.push(line);
      return line !== 'stop';
    });
    for (const chunk of ['{"a":', '1}\n\n{"b"', ':2}\nsto', 'p\nafter\n']) (res as unknown as PassThrough).write(chunk);
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['{"a":1}', '{"b":2}', 'stop']);
  });
});
