/** The schema of XDRBackup: the estate context and the claim section it owns. */
import { z } from 'zod';
import { estate, flag, PrimitiveStatusSchema, type PrimitiveApi } from '../../api/estate.js';
import * as section from '../../api/sections.js';

/** Spec of XDRBackup. */
export const DRBackupSpecSchema = z
  .object({
    ...estate,
    backup: section.backup(),
    buckets: flag('replicated S3 buckets (the backup role then also gets the AWS Backup S3 policies)'),
  })
  .describe('AWS Backup vaults and a plan with cross-region copies.');

/** Spec of XDRBackup, after defaults. */
export type DRBackupSpec = z.output<typeof DRBackupSpecSchema>;

/** XDRBackup as the XRD generator and the function see it. */
export const api = {
  kind: 'XDRBackup',
  plural: 'xdrbackups',
  shortNames: ['xbak'],
  spec: DRBackupSpecSchema,
  status: PrimitiveStatusSchema,
  /** Each region's vault name and ARN. */
  outputs: { regions: ['identifier', 'arn'], composite: [] },
  /** Its claim section: spec.backup. */
  claim: { field: 'backup', schema: section.backup, page: 'Operations' },
} as const satisfies PrimitiveApi;
