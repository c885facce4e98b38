// The claim's own Delete=false, which keeps it when its Argo CD Application is deleted with cascade on every 3.x, and a
// production claim's Prune=false, which keeps it when it is removed from git while its Application prunes.
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { withDeletionGuard } from '../../src/gitops/argocd.js';

const claim = (metadata: string, profile?: string) =>
  `apiVersion: drplane.io/v1alpha1\nkind: DisasterRecovery\nmetadata:\n${metadata}spec:\n  environment: production # kept\n` +
  (profile ? `  profile: ${profile}\n` : '');

it('adds Delete=false to a test claim without annotations, comments kept; it stays prunable', () => {
  const out = withDeletionGuard(claim('  name: a\n  namespace: team-a\n', 'test'));
  expect(parse(out).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Delete=false' });
  expect(out).toContain('environment: production # kept');
});

// Found by the fault tier (test/e2e/faults, "claim deleted from git with Argo CD pruning on"): a production claim
// carried only Delete=false, so once its Application pruned (docs/gitops.md's incident runbook restored it with
// --auto-prune) removing it from git deleted the claim and its estate.
it('adds Prune=false and Delete=false to a production claim, and to one with no profile (production by default)', () => {
  for (const profile of ['production', undefined]) {
    const out = withDeletionGuard(claim('  name: a\n  namespace: team-a\n', profile));
    expect(parse(out).metadata.annotations, String(profile)).toEqual({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
    });
  }
});

it('keeps other annotations and options, replaces a Delete=true or Prune=true, and leaves a guarded claim byte-identical', () => {
  const text = claim(
    '  name: a\n  annotations:\n    team: a\n    argocd.argoproj.io/sync-options: Prune=true, Delete=true, Replace=false\n',
  );
  const out = withDeletionGuard(text);
  expect(parse(out).metadata.annotations).toEqual({
    team: 'a',
    'argocd.argoproj.io/sync-options': 'Replace=false,Delete=false,Prune=false',
  });
  expect(withDeletionGuard(out)).toBe(out);
  const guarded = claim('  name: a\n  annotations:\n    argocd.argoproj.io/sync-options: Prune=false,Delete=false\n');
  expect(withDeletionGuard(guarded)).toBe(guarded);
});

it('refuses a claim without metadata, naming the field', () => {
  expect(() => withDeletionGuard('kind: DisasterRecovery\n')).toThrow(/metadata/);
});
