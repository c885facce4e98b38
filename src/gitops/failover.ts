/**
 * GitOps failover: set spec.activeRegion in a claim file and commit it, with a message that says
 * who, from where, to where and why. Argo CD syncs the commit; the composition moves traffic and
 * starts the orchestrator. Shared by `drctl failover`, `drctl drill` and the portal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, relative, resolve } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { DisasterRecoveryClaim } from '../api/claim.js';
import { git, gitUser, repositoryRoot, uncommittedChanges } from './git.js';

/** A failover the caller asks for. */
export interface FailoverRequest {
  /** Claim file (one claim). */
  readonly file: string;
  /** Region to make active. */
  readonly to: string;
  /** Why (goes into the commit message). */
  readonly reason: string;
  /** Unplanned: the active region is down; the orchestrator may lose the replication lag. */
  readonly unplanned?: boolean;
  /** Who asks, when it is not the git user (the portal passes its user); `Name <email>` also authors the commit. */
  readonly actor?: string;
  /** Where it is asked from (default: drctl on this host). */
  readonly via?: string;
}

/** A refused failover: the reason says what to do instead. */
export class FailoverRefused extends Error {
  override name = 'FailoverRefused';
}

/** What a failover changed. */
export interface FailoverResult {
  readonly from: string;
  readonly to: string;
  readonly commit: string;
  readonly message: string;
  readonly repository: string;
}

/** The regions a claim may fail over to, and the one now active. */
export function failoverTargets(claim: DisasterRecoveryClaim): { active: string; regions: string[] } {
  const regions = [claim.spec.regions.primary, ...claim.spec.regions.secondaries];
  return { active: claim.spec.activeRegion ?? claim.spec.regions.primary, regions };
}

/** Refuses a target that is not a region of the claim or is already active. */
export function checkTarget(claim: DisasterRecoveryClaim, to: string): { from: string } {
  const { active, regions } = failoverTargets(claim);
  if (!regions.includes(to))
    throw new FailoverRefused(
      `${to} is not a region of ${claim.metadata.name}; fail over to one of ${regions.filter((r) => r !== active).join(', ')}`,
    );
  if (to === active) throw new FailoverRefused(`${to} is already the active region of ${claim.metadata.name}; nothing to do`);
  return { from: active };
}

/**
 * The claim text with spec.activeRegion set and spec.failover.allowDataLoss saying how the database moves (true for an
 * unplanned failover; back to false for a planned one, and left out when it was never set), comments and layout kept.
 */
export function withActiveRegion(text: string, region: string, unplanned = false): string {
  const doc = parseDocument(text, { version: '1.1' });
  const spec = doc.get('spec', true);
  if (!isMap(spec)) throw new FailoverRefused('the claim has no spec mapping');
  spec.set('activeRegion', region);
  const failover = spec.get('failover', true);
  if (unplanned) {
    if (isMap(failover)) failover.set('allowDataLoss', true);
    else spec.set('failover', doc.createNode({ allowDataLoss: true }, { flow: true }));
  } else if (isMap(failover) && failover.has('allowDataLoss')) {
    failover.set('allowDataLoss', false);
  }
  return keepLayout(text, doc.toString({ lineWidth: 0 }));
}

/**
 * The re-serialized claim with every line that differs from an original line only in spacing inside the line (the
 * YAML library pads flow collections its own way) put back as written, so a failover commit changes only its fields.
 */
function keepLayout(original: string, serialized: string): string {
  const key = (line: string) => {
    const indent = /^\s*/.exec(line)![0];
    return `${indent}${line.slice(indent.length).replace(/\s+/g, '')}`;
  };
  const asWritten = new Map(original.split('\n').map((line) => [key(line), line] as const));
  return serialized
    .split('\n')
    .map((line) => asWritten.get(key(line)) ?? line)
    .join('\n');
}

/** The commit message of a failover. */
export function failoverMessage(claim: DisasterRecoveryClaim, from: string, req: FailoverRequest, who: string): string {
  const kind = req.unplanned ? 'unplanned' : 'planned';
  return [
    `failover(${claim.metadata.namespace}/${claim.metadata.name}): ${from} -> ${req.to} (${kind})`,
    '',
    `Who: ${who}`,
    `From: ${req.via ?? `drctl on ${hostname()}`}`,
    `Regions: ${from} -> ${req.to}`,
    `Mode: ${kind}${req.unplanned ? ' (failover.allowDataLoss: true; the orchestrator fails over without the old region and may lose the replication lag)' : ' (switchover, no data loss)'}`,
    `Why: ${req.reason}`,
  ].join('\n');
}

/**
 * Sets activeRegion in the claim file and commits it in the repository that holds the file.
 * Refuses a dirty work tree, a region outside the claim and a no-op.
 */
export async function commitFailover(claim: DisasterRecoveryClaim, req: FailoverRequest): Promise<FailoverResult> {
  const { from } = checkTarget(claim, req.to);
  if (req.reason.trim() === '') throw new FailoverRefused('say why with --reason; it goes into the commit for the audit trail');
  const file = resolve(req.file);
  const root = await repositoryRoot(dirname(file));
  const dirty = await uncommittedChanges(root);
  if (dirty.length > 0)
    throw new FailoverRefused(
      `the work tree of ${root} has uncommitted changes (${dirty.slice(0, 3).join('; ')}); commit or stash them first, so the failover commit holds only the failover`,
    );
  const who = req.actor ?? (await gitUser(root)) ?? 'unknown (set git config user.name)';
  const original = readFileSync(file, 'utf8');
  const message = failoverMessage(claim, from, req, who);
  const path = relative(root, file);
  writeFileSync(file, withActiveRegion(original, req.to, req.unplanned === true));
  try {
    await git(root, ['add', '--', path]);
    const author = req.actor && /^[^<>]+ <[^<>]+>$/.test(req.actor) ? ['--author', req.actor] : [];
    await git(root, ['commit', '--quiet', ...author, '-m', message, '--', path]);
  } catch (error) {
    // Nothing half-done: the file and the index go back to what they were, so a retry starts from HEAD's claim.
    writeFileSync(file, original);
    await git(root, ['reset', '--quiet', '--', path]).catch(() => undefined);
    throw error;
  }
  const commit = await git(root, ['rev-parse', 'HEAD']);
  return { from, to: req.to, commit, message, repository: root };
}
