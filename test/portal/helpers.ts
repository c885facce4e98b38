/** Helpers of the portal tests: a throwaway git repository with one committed claim. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs git in `cwd` and returns trimmed stdout. */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A claim in two regions with a network (CIDRs given). */
export function claimYaml(name = 'shop', namespace = 'team-shop', cidrs = ['10.10.0.0/16', '10.11.0.0/16']): string {
  return `apiVersion: drplane.io/v1alpha1
kind: DisasterRecovery
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  environment: dev
  profile: test
  regions: { primary: us-east-1, secondaries: [us-west-2] }
  objectives: { rpoSeconds: 60, rtoMinutes: 60 }
  network:
    cidrs: { us-east-1: ${cidrs[0]}, us-west-2: ${cidrs[1]} }
  tables:
    - name: items
      hashKey: { name: id, type: S }
`;
}

/** A new git repository with examples/minimal.yaml (from the project) committed on main. */
export function tempRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drplane-portal-test-'));
  git(dir, 'init', '--quiet', '-b', 'main');
  git(dir, 'config', 'user.name', 'Portal Test');
  git(dir, 'config', 'user.email', 'portal@example.org');
  git(dir, 'config', 'commit.gpgsign', 'false');
  mkdirSync(join(dir, 'claims'));
  writeFileSync(join(dir, 'claims', 'minimal.yaml'), readFileSync(new URL('../../examples/minimal.yaml', import.meta.url)));
  writeFileSync(join(dir, 'README.md'), '# estates\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'initial');
  return dir;
}
