/**
 * Cross-field rules of the claim, written once and used twice: as CEL `x-kubernetes-validations`
 * in the generated XRD (the API server enforces them) and as checks in `drctl validate`.
 */
import type { DisasterRecoverySpec } from './claim.js';

/** A rule that relates two or more fields of the claim spec. */
export interface CrossFieldRule {
  /** Stable id printed with every violation. */
  readonly id: string;
  /** Field the violation is reported on, relative to the claim (spec.…). */
  readonly path: string;
  /** CEL expression over `self` = spec; true when the claim is valid. */
  readonly cel: string;
  /** What is wrong and what to write instead. */
  readonly message: string;
  /** The same rule in TypeScript, for offline validation. */
  readonly holds: (spec: DisasterRecoverySpec) => boolean;
  /** What `drctl validate` adds to the message about this claim (CEL messages are fixed text). */
  readonly detail?: (spec: DisasterRecoverySpec) => string;
  /** True when the rule makes `path` required whenever its parent is present (the claim reference marks it so). */
  readonly requiresPath?: true;
}

const allRegions = (spec: DisasterRecoverySpec): string[] => [spec.regions.primary, ...spec.regions.secondaries];

/** Cross-field rules, in the order they are reported. */
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  {
    id: 'regions.primary-not-secondary',
    path: 'spec.regions.secondaries',
    cel: '!(self.regions.primary in self.regions.secondaries)',
    message: 'the primary region is also listed as a secondary; list only standby regions in secondaries',
    holds: (s) => !s.regions.secondaries.includes(s.regions.primary),
  },
  {
    id: 'regions.active-is-configured',
    path: 'spec.activeRegion',
    cel: '!has(self.activeRegion) || self.activeRegion == self.regions.primary || self.activeRegion in self.regions.secondaries',
    message: 'activeRegion must be the primary or one of the secondaries; fail over only to a region of the estate',
    holds: (s) => s.activeRegion === undefined || allRegions(s).includes(s.activeRegion),
    detail: (s) => `${s.activeRegion} is not one of them; write one of ${allRegions(s).join(', ')}`,
  },
  {
    id: 'network.cidr-per-region',
    path: 'spec.network.cidrs',
    cel: '!has(self.network) || (self.regions.primary in self.network.cidrs && self.regions.secondaries.all(r, r in self.network.cidrs))',
    message: 'every region of the estate needs a VPC CIDR; add one entry per region to spec.network.cidrs',
    holds: (s) => s.network === undefined || allRegions(s).every((r) => r in s.network!.cidrs),
    detail: (s) =>
      `missing: ${allRegions(s)
        .filter((r) => !(r in (s.network?.cidrs ?? {})))
        .join(', ')}`,
  },
  {
    id: 'network.cidr-region-unknown',
    path: 'spec.network.cidrs',
    cel: '!has(self.network) || self.network.cidrs.all(k, k == self.regions.primary || k in self.regions.secondaries)',
    message: 'spec.network.cidrs has a region that is not in spec.regions; remove it or add the region',
    holds: (s) => s.network === undefined || Object.keys(s.network.cidrs).every((r) => allRegions(s).includes(r)),
    detail: (s) =>
      `not in spec.regions: ${Object.keys(s.network?.cidrs ?? {})
        .filter((r) => !allRegions(s).includes(r))
        .join(', ')}`,
  },
  {
    id: 'routing.zone-required',
    path: 'spec.routing.zoneId',
    cel: '!has(self.routing) || has(self.routing.zoneId)',
    message:
      'routing needs the id of an existing public hosted zone you own (Route 53 console or `aws route53 list-hosted-zones`); drplane never creates a zone for a domain it cannot verify',
    holds: (s) => s.routing === undefined || s.routing.zoneId !== undefined,
    requiresPath: true,
  },
  {
    id: 'database.needs-network',
    path: 'spec.database',
    cel: '!has(self.database) || has(self.network)',
    message: 'an Aurora global database needs private subnets in every region; add a spec.network section',
    holds: (s) => s.database === undefined || s.network !== undefined,
  },
];
