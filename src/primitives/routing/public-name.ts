/**
 * The public name of an XFailoverRouting whose service has an HTTP API in every region: per region an ACM certificate
 * for the record name, its DNS validation records in the claim's zone, a regional API Gateway custom domain (TLS 1.2,
 * dual-stack) mapped to the region's HTTP API, and a regional name `<region>.<recordName>` on a second custom domain
 * of the same API and certificate. The service records (routing/compose.ts) are alias A and AAAA records to the
 * regional domain names' targets; each region's health check probes its regional name, so it passes only when the
 * certificate, the custom domain, the mapping, the API and the function of that region all answer.
 *
 * Why a regional name: a Route 53 health check sends its FullyQualifiedDomainName as the Host header and SNI, and a
 * regional custom domain answers only for its own name; a check of the record name itself would resolve through the
 * records it guards, which the Route 53 API reference (HealthCheckConfig.FullyQualifiedDomainName) says makes results
 * unpredictable and advises a per-endpoint name such as us-east-2-www.example.com instead.
 *
 * Certificates: DNS validation, one certificate per region (ACM certificates are regional; API Gateway takes one in the
 * custom domain's region) for recordName with the regional name as a subject alternative name. The validation
 * records come from the certificate's observed status.atProvider.domainValidationOptions; ACM may hand the
 * certificates of several regions the same record for the same domain, so every record is written with
 * allowOverwrite (an UPSERT of the same value): each region's record stays there while any region needs it for its
 * renewals. The custom domains wait for the certificate's CertificateValidation to be Ready (API Gateway refuses a
 * certificate that is not issued).
 */
import { Certificate, CertificateValidation } from '../../../imports/acm.aws.upbound.io.js';
import { ApiMapping, DomainName } from '../../../imports/apigatewayv2.aws.upbound.io.js';
import { Record as DnsRecord } from '../../../imports/route53.aws.upbound.io.js';
import type { FailoverRoutingSpec } from './schema.js';
import type { ComposeContext } from '../../compose/context.js';
import { ofEstate, own } from '../../compose/selector.js';
import type { DesiredResource, ObservedView } from '../../compose/types.js';

/** The regional name of the service in a region: `<region>.<recordName>`, what its health check probes. */
export const regionalName = (region: string, recordName: string): string => `${region}.${recordName}`;

/** TTL of the certificate validation records (they never change while the certificate lives). */
export const VALIDATION_TTL_SECONDS = 300;

/** Composition keys of a region's public-name resources. */
export const publicNameKeys = (region: string) => ({
  certificate: `certificate-${region}`,
  validation: `certificate-validation-${region}`,
  validationRecord: (which: 'record' | 'regional') => `certificate-validation-record-${region}-${which}`,
  domain: `domain-name-${region}`,
  regionalDomain: `domain-name-${region}-regional`,
  mapping: `api-mapping-${region}`,
  regionalMapping: `api-mapping-${region}-regional`,
  regionalRecord: (type: AliasType) => `record-${region}-regional-${type.toLowerCase()}`,
});

/** The record types of the aliases: the custom domains are dual-stack, so AAAA answers IPv6 clients. */
export const ALIAS_TYPES = ['A', 'AAAA'] as const;
/** A record type of the aliases. */
export type AliasType = (typeof ALIAS_TYPES)[number];

/** Component labels (selectors) of the public-name resources. */
const COMPONENT = {
  certificate: 'certificate',
  domain: 'domain-name',
  regionalDomain: 'domain-name-regional',
} as const;

/** One DNS validation record ACM asks for. */
interface ValidationRecord {
  readonly domain: string;
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/** The validation records of a region's certificate, once ACM reports them (in a plan: placeholders). */
function validationRecords(
  observed: ObservedView,
  key: string,
  domains: readonly string[],
  recordKeyOf: (domain: string) => string,
): ValidationRecord[] {
  if (observed.planning) {
    return domains.map((domain) => ({
      domain,
      name: observed.field(key, `status.atProvider.domainValidationOptions[${domain}].resourceRecordName`)!,
      type: 'CNAME',
      value: observed.field(key, `status.atProvider.domainValidationOptions[${domain}].resourceRecordValue`)!,
    }));
  }
  const reported = observed.read(key, 'status.atProvider.domainValidationOptions');
  const options = Array.isArray(reported) ? reported : [];
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return domains.flatMap((domain) => {
    const o = options.find((x) => x !== null && typeof x === 'object' && (x as Record<string, unknown>).domainName === domain) as
      Record<string, unknown> | undefined;
    const [name, type, value] = [text(o?.resourceRecordName), text(o?.resourceRecordType), text(o?.resourceRecordValue)];
    if (name && type && value) return [{ domain, name, type, value }];
    // Once composed, a validation record keeps what it was composed with while the certificate's status is lost.
    const last = recordKeyOf(domain);
    const [lastName, lastType] = [observed.field(last, 'spec.forProvider.name'), observed.field(last, 'spec.forProvider.type')];
    const lastValue = observed.read(last, 'spec.forProvider.records');
    return lastName && lastType && Array.isArray(lastValue) && typeof lastValue[0] === 'string'
      ? [{ domain, name: lastName, type: lastType, value: lastValue[0] }]
      : [];
  });
}

/** The alias target of a custom domain: its regional target domain name and that name's hosted zone, once known. */
export function aliasTarget(
  observed: ObservedView,
  domainKey: string,
  /** Alias records composed before to this domain's target: their alias is the target while the domain's status is lost. */
  composedTo: readonly string[] = [],
): { name: string; zoneId: string } | undefined {
  const name = observed.field(domainKey, 'status.atProvider.domainNameConfiguration.targetDomainName');
  const zoneId = observed.field(domainKey, 'status.atProvider.domainNameConfiguration.hostedZoneId');
  if (name && zoneId) return { name, zoneId };
  for (const key of composedTo) {
    const [lastName, lastZone] = [
      observed.field(key, 'spec.forProvider.alias.name'),
      observed.field(key, 'spec.forProvider.alias.zoneId'),
    ];
    if (lastName && lastZone) return { name: lastName, zoneId: lastZone };
  }
  return undefined;
}

/** An alias record (A or AAAA) to a custom domain's target, without a routing policy unless one is given. */
export function aliasRecord(
  ctx: ComposeContext,
  spec: FailoverRoutingSpec,
  key: string,
  component: string,
  name: string,
  type: AliasType,
  target: { name: string; zoneId: string },
  extra: Record<string, unknown> = {},
): DesiredResource {
  return {
    key,
    manifest: DnsRecord.manifest({
      metadata: ctx.metadata(component, undefined),
      spec: {
        forProvider: {
          zoneId: spec.routing.zoneId!,
          name,
          type,
          // The region's own health check decides; API Gateway's target health adds nothing (Route 53 API reference).
          alias: { name: target.name, zoneId: target.zoneId, evaluateTargetHealth: false },
          ...extra,
        },
      },
    }),
  };
}

function domainName(ctx: ComposeContext, region: string, key: string, component: string, name: string): DesiredResource {
  return {
    key,
    region,
    manifest: DomainName.manifest({
      metadata: ctx.metadata(component, region, name),
      spec: {
        forProvider: {
          region,
          domainNameConfiguration: {
            certificateArnSelector: own(ctx, COMPONENT.certificate, region),
            endpointType: 'REGIONAL',
            securityPolicy: 'TLS_1_2',
            ipAddressType: 'dualstack',
          },
          tags: ctx.tags(),
        },
      },
    }),
  };
}

function apiMapping(ctx: ComposeContext, region: string, key: string, domainComponent: string): DesiredResource {
  return {
    key,
    region,
    manifest: ApiMapping.manifest({
      metadata: ctx.metadata(`${domainComponent}-mapping`, region),
      spec: {
        forProvider: {
          region,
          // The HTTP API of XRegionalService in this region, and its auto-deployed default stage.
          apiIdSelector: ofEstate(ctx, 'service-api', region),
          domainNameSelector: own(ctx, domainComponent, region),
          stage: '$default',
        },
      },
    }),
  };
}

/**
 * Every public-name resource of one region but the service records: certificate, validation records and validation,
 * the two custom domains with their mappings (once the certificate is issued) and the regional name's aliases (once
 * the regional custom domain reports its target).
 */
export function publicNameResources(
  ctx: ComposeContext,
  spec: FailoverRoutingSpec,
  region: string,
  observed: ObservedView,
): DesiredResource[] {
  const k = publicNameKeys(region);
  const record = spec.routing.recordName;
  const regional = regionalName(region, record);
  const resources: DesiredResource[] = [
    {
      key: k.certificate,
      region,
      manifest: Certificate.manifest({
        metadata: ctx.metadata(COMPONENT.certificate, region),
        spec: {
          forProvider: {
            region,
            domainName: record,
            subjectAlternativeNames: [regional],
            validationMethod: 'DNS',
            keyAlgorithm: 'RSA_2048',
            tags: ctx.tags({ Name: ctx.namer.name('generic', 'cert', region) }),
          },
        },
      }),
    },
    ...validationRecords(observed, k.certificate, [record, regional], (d) =>
      k.validationRecord(d === record ? 'record' : 'regional'),
    ).map((r): DesiredResource => ({
      key: k.validationRecord(r.domain === record ? 'record' : 'regional'),
      manifest: DnsRecord.manifest({
        metadata: ctx.metadata('certificate-validation-record', undefined),
        spec: {
          forProvider: {
            zoneId: spec.routing.zoneId!,
            name: r.name,
            type: r.type,
            ttl: VALIDATION_TTL_SECONDS,
            records: [r.value],
            allowOverwrite: true,
          },
        },
      }),
    })),
    {
      key: k.validation,
      region,
      manifest: CertificateValidation.manifest({
        metadata: ctx.metadata('certificate-validation', region),
        spec: { forProvider: { region, certificateArnSelector: own(ctx, COMPONENT.certificate, region) } },
      }),
    },
  ];
  // The domains wait for the validated certificate; once composed, they stay (a lost status never drops them).
  if (!observed.ready(k.validation) && !observed.exists(k.domain)) return resources;
  resources.push(
    domainName(ctx, region, k.domain, COMPONENT.domain, record),
    apiMapping(ctx, region, k.mapping, COMPONENT.domain),
    domainName(ctx, region, k.regionalDomain, COMPONENT.regionalDomain, regional),
    apiMapping(ctx, region, k.regionalMapping, COMPONENT.regionalDomain),
  );
  const target = aliasTarget(observed, k.regionalDomain, [k.regionalRecord('A')]);
  if (target) {
    for (const type of ALIAS_TYPES) {
      resources.push(aliasRecord(ctx, spec, k.regionalRecord(type), 'regional-record', regional, type, target));
    }
  }
  return resources;
}
