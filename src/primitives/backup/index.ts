/** XDRBackup: AWS Backup vaults and a plan with cross-region copies. */
import type { Primitive } from '../types.js';
import { composeBackup } from './compose.js';
import { backupLines } from './cost.js';

/** The backup primitive. */
export const backup: Primitive<'XDRBackup'> = {
  key: 'backup',
  holdsData: true,
  compose: (ctx, s, o) => composeBackup(ctx, s, o),
  nested: (claim) =>
    claim.backup ? [{ section: 'spec.backup', spec: { backup: claim.backup, buckets: (claim.buckets ?? []).length > 0 } }] : [],
  cost: backupLines,
  // Production's minimum retention is an estate-wide rule (src/policy/rules/operations.ts).
  rules: [],
};
