// The claim's own Delete=false, which keeps it when its Argo CD Application is deleted with cascade on every 3.x.
import { parse } from 'yaml';
import { expect, it } from 'vitest';
import { withDeletionGuard } from '../../src/gitops/argocd.js';

const claim = (metadata: string) =>
  `apiVersion: drplane.io/v1alpha1\nkind: DisasterRecovery\nmetadata:\n${metadata}spec:\n  environment: production # kept\n`;

it('adds Delete=false to a claim without annotations, comments kept', () => {
  const out = withDeletionGuard(claim('  name: a\n  namespace: team-a\n'));
  expect(parse(out).metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Delete=false' });
  expect(out).toContain('environment: production # kept');
});

it('keeps other annotations and options, replaces a Delete=true, and leaves a guarded claim byte-identical', () => {
  const text = claim('  name: a\n  annotations:\n    team: a\n    argocd.argoproj.io/sync-options: Prune=false, Delete=true\n');
  const out = withDeletionGuard(text);
  expect(parse(out).metadata.annotations).toEqual({ team: 'a', 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
  expect(withDeletionGuard(out)).toBe(out);
});

it('refuses a claim without metadata, naming the field', () => {
  expect(() => withDeletionGuard('kind: DisasterRecovery\n')).toThrow(/metadata/);
});
