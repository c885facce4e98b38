/**
 * drctl as a user runs it: `node bin/drctl.mjs …` (built once by test/global-setup.ts) on real files,
 * checking exit codes, stdout and stderr.
 */
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInvalidFixture } from '../support/fixtures.js';
import { suiteTempDir } from '../support/files.js';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';

const claims = readdirSync(repoPath('examples'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const fixtures = readdirSync(repoPath('test', 'fixtures', 'invalid'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const drctl = (args: string[], input?: string) =>
  run(process.execPath, [repoPath('bin', 'drctl.mjs'), ...args], { cwd: repoPath(), env: { NO_COLOR: '1' }, input });
/** No stack frame ("    at fn (file:1:2)") anywhere in the output. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
let tmp: string;

beforeAll(async () => {
  tmp = suiteTempDir('drctl-');
}, 120_000);

describe('drctl validate', () => {
  it('accepts every example claim in examples/ with exit 0 and a verdict per file', async () => {
    const r = await drctl(['validate', 'examples/']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const c of claims)
      expect(r.stdout).toMatch(new RegExp(`^examples/${c.replace('.', '\\.')}: valid \\(0 errors, \\d+ warnings?\\)$`, 'm'));
  });

  it('marks warnings and still exits 0', async () => {
    const r = await drctl(['validate', 'examples/payments.yaml']);
    expect(r.code).toBe(0);
    // Its public name answers through custom domains of the HTTP API: no routing.custom-domain warning any more.
    expect(r.stdout).not.toContain('routing.custom-domain');
    expect(r.stdout).toMatch(
      /^examples\/payments\.yaml:\d+:\d+: warning: spec\.service\.reservedConcurrency: .+ \(service\.reserved-concurrency-quota\)$/m,
    );
    expect(r.stdout).toContain('examples/payments.yaml: valid (0 errors, 1 warning)');
  });

  it.each(fixtures)('fails %s with exit 1 and the rule it declares', async (file) => {
    const path = `test/fixtures/invalid/${file}`;
    const { expects } = readInvalidFixture(repoPath(path));
    const r = await drctl(['validate', path]);
    expect(r.code).toBe(1);
    for (const id of expects)
      expect(r.stdout).toMatch(
        new RegExp(`^${path.replace(/\./g, '\\.')}:\\d+:\\d+: spec\\.\\S+: .+ \\(${id.replace(/\./g, '\\.')}\\)$`, 'm'),
      );
    expect(r.stdout).toContain(`${path}: invalid`);
  });

  it('prints {files:[{file, valid, problems}]} with --output json, and exits 1 when one file is invalid', async () => {
    const r = await drctl(['validate', 'examples/minimal.yaml', 'test/fixtures/invalid/rpo-zero.yaml', '--output', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      files: Array<{ file: string; valid: boolean; problems: Array<Record<string, unknown>> }>;
    };
    expect(out.files.map((f) => [f.file, f.valid])).toEqual([
      ['examples/minimal.yaml', true],
      ['test/fixtures/invalid/rpo-zero.yaml', false],
    ]);
    expect(out.files[1]!.problems).toEqual([
      expect.objectContaining({
        path: 'spec.objectives.rpoSeconds',
        ruleId: 'objectives.rpo-zero',
        severity: 'error',
        line: expect.any(Number),
        column: expect.any(Number),
      }),
    ]);
  });

  it('reports malformed YAML as file:line:col with no stack trace', async () => {
    const file = join(tmp, 'broken.yaml');
    writeFileSync(file, 'apiVersion: drplane.io/v1alpha1\nkind: DisasterRecovery\nspec:\n  environment: [dev\n  regions: {}\n');
    const r = await drctl(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+: YAML syntax: .+ \\(yaml\\.syntax\\)$`, 'm'));
    expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK);
  });

  it('names every document of a multi-document file and refuses a non-claim by its kind', async () => {
    const file = join(tmp, 'multi.yaml');
    writeFileSync(
      file,
      `${readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8')}---\napiVersion: v1\nkind: Secret\nmetadata: {name: x}\n`,
    );
    const r = await drctl(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[document 2\]: kind: this is a Secret, not a DisasterRecovery claim/);
  });

  it('reads standard input for -', async () => {
    const r = await drctl(['validate', '-'], readFileSync(repoPath('examples', 'minimal.yaml'), 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('-: valid (0 errors, 0 warnings)\n');
  });

  it('names a missing file with exit 2 and still validates the others (text and JSON)', async () => {
    const r = await drctl(['validate', 'examples/minimal.yaml', 'claims/nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'examples/minimal.yaml: valid (0 errors, 0 warnings)\n' +
        'claims/nope.yaml: cannot read it: no such file (file.unreadable)\n' +
        'claims/nope.yaml: invalid (1 error, 0 warnings)\n',
    );
    const json = await drctl(['validate', 'claims/nope.yaml', 'examples/minimal.yaml', '-o', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).files.map((f: { file: string; valid: boolean }) => [f.file, f.valid])).toEqual([
      ['examples/minimal.yaml', true],
      ['claims/nope.yaml', false],
    ]);
  });

  it('refuses two claims with the same namespace and name in one run, naming where the first is', async () => {
    const dir = suiteTempDir('dup-');
    copyFileSync(repoPath('examples', 'minimal.yaml'), join(dir, 'copy.yaml'));
    const r = await drctl(['validate', 'examples/minimal.yaml', join(dir, 'copy.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${join(dir, 'copy.yaml')}: metadata.name: team-sandbox/minimal is also the claim in examples/minimal.yaml:`,
    );
    expect(r.stdout).toContain('(claims.duplicate-name)');
  });

  it('treats an unknown flag or output format as a usage error (exit 2, one line, no stack)', async () => {
    const flag = await drctl(['validate', 'examples/minimal.yaml', '--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^drctl: unknown option '--bogus'/);
    const format = await drctl(['validate', 'examples/minimal.yaml', '--output', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('drctl: --output xml is not supported here; use one of text, json\n');
    expect(`${flag.stderr}${format.stderr}`).not.toMatch(STACK);
  });
});

describe('drctl explain', () => {
  it('explains the Lambda runtimes with their AWS dates, calling the retired one refused', async () => {
    const r = await drctl(['explain', 'spec.service.runtime']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    // The dates of cfn-lint's lifecycle data; "from" or "since" depending on the day the test runs.
    expect(text).toMatch(
      /nodejs20\.x: refused \(deprecated by AWS on 2026-04-30; AWS refuses to create functions on it (from|since) 2027-02-01 and to update them (from|since) 2027-03-03/,
    );
    expect(text).toContain('nodejs24.x: until 2028-04-30, when AWS deprecates it');
  });

  it('describes a field: type, description, pattern, and the versions validation accepts', async () => {
    const r = await drctl(['explain', 'spec.database.engineVersion']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FIELD:    spec.database.engineVersion <string> -required-');
    expect(r.stdout).toContain('Engine version; must support Aurora global databases');
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /aurora-postgresql 16: [\d., ]*16\.15, [\d., ]*16\.8 \(standard support until 2029-02-28\)/,
    );
    expect(r.stdout.replace(/\s+/g, ' ')).toMatch(
      /Versions from cfn-lint \d+\.\d+\.\d+ data of \d{4}-\d{2}-\d{2} \(npm run facts\)/,
    );
  });

  it('shows default, allowed values and bounds', async () => {
    const interval = await drctl(['explain', 'spec.routing.healthCheck.intervalSeconds']);
    expect(interval.stdout).toMatch(/DEFAULT:\s+30/);
    expect(interval.stdout).toMatch(/ENUM:\s+10, 30/);
    const concurrency = await drctl(['explain', 'spec.service.reservedConcurrency']);
    expect(concurrency.stdout).toMatch(/BOUNDS:\s+minimum 1, maximum 1000/);
  });

  it('lists the children of objects and of list items', async () => {
    const r = await drctl(['explain', 'spec.tables']);
    expect(r.stdout).toContain('FIELD:    spec.tables <[]Object>');
    expect(r.stdout).toMatch(/^ {2}hashKey\t<Object> -required-$/m);
    const root = await drctl(['explain']);
    expect(root.stdout).toMatch(/^ {2}spec\t<Object> -required-$/m);
  });

  it('prints a field tree with --recursive', async () => {
    const r = await drctl(['explain', 'spec.routing', '--recursive']);
    expect(r.stdout).toMatch(/^ {4}intervalSeconds <integer>$/m);
  });

  it('refuses an unknown field with exit 1 and a suggestion', async () => {
    const r = await drctl(['explain', 'spec.databse.engineVersion']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'drctl: spec.databse.engineVersion is not a field of the claim: spec has no field "databse"; did you mean spec.database?\n',
    );
  });
});

describe('warnings in commands other than validate', () => {
  it('are one line on stderr naming the rules, and drctl validate prints them in full', async () => {
    const r = await drctl(['cost', 'examples/payments.yaml', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      'examples/payments.yaml: 1 warning (service.reserved-concurrency-quota); ' +
        'drctl validate examples/payments.yaml shows them\n',
    );
    expect(() => JSON.parse(r.stdout)).not.toThrow();
  });
});

describe('drctl drill (plan only)', () => {
  it('lists the steps in order, with the database unpause check only where there is a database', async () => {
    const withDb = await drctl(['drill', 'examples/payments.yaml']);
    expect(withDb.code).toBe(0);
    expect(withDb.stdout.split('\n')[0]).toBe('DR drill: us-east-1 -> us-west-2 and back');
    const titles = (text: string) => [...text.matchAll(/^\d+\. ([^:]+):/gm)].map((m) => m[1]);
    expect(titles(withDb.stdout)).toEqual([
      'Announce',
      'Check the estate is healthy',
      'Switch over',
      'Verify',
      'Unpause the database',
      'Fail back',
      'Record',
    ]);
    expect(withDb.stdout).toContain('the claim status shows databaseWriterRegion us-west-2');
    // A planned switchover is timed as one: git, the Aurora switchover and DNS (not detection and people).
    // 105 + 120 + 60 = 285 s typical; 270 + 300 + 120 = 690 s worst
    expect(withDb.stdout).toContain(
      'expected to take 4.8 min (worst 11.5 min: argocd-poll + argocd-sync + crossplane-watch + promote-database + dns;',
    );
    const noDb = await drctl(['drill', 'examples/minimal.yaml']);
    expect(noDb.code).toBe(0);
    expect(titles(noDb.stdout)).not.toContain('Unpause the database');
    expect(titles(noDb.stdout)).toContain('Fail back');
    // Only what the estate has: minimal.yaml has a table and nothing else, so no orchestrator, /health or alarm.
    for (const absent of ['SwitchoverGlobalCluster', '/health', 'estate-at-risk', 'FailoverRtoSeconds'])
      expect(noDb.stdout, absent).not.toContain(absent);
    expect(noDb.stdout).toContain('(worst 4.5 min: argocd-poll + argocd-sync + crossplane-watch;');
    for (const present of ['SwitchoverGlobalCluster', '/health', 'estate-at-risk', 'FailoverRtoSeconds'])
      expect(withDb.stdout, present).toContain(present);
  });
});

describe('bin/drctl.mjs', () => {
  it('says to build when the bundle is missing', async () => {
    const bin = join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    copyFileSync(repoPath('bin', 'drctl.mjs'), join(bin, 'drctl.mjs'));
    const r = await run(process.execPath, [join(bin, 'drctl.mjs'), '--help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run `npm run build`');
  });
});

describe('drctl help', () => {
  it('documents every exit code', async () => {
    const r = await drctl(['--help']);
    expect(r.code).toBe(0);
    for (const line of ['0  success', '1  a claim is invalid', '2  usage error', '3  the cluster or git failed'])
      expect(r.stdout).toContain(line);
  });

  it('has examples on every command', async () => {
    const commands = [...(await drctl(['--help'])).stdout.matchAll(/^ {2}(\w+) /gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['explain', 'validate']));
    // One process per command (about 25): the time is the machine's, not a target, so the test allows minutes.
    const answers = await Promise.all(commands.map(async (command) => ({ command, r: await drctl([command, '--help']) })));
    for (const { command, r } of answers) {
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(/Examples:\n\s+\$ drctl /);
    }
  }, 180_000);

  it('answers an unknown command with exit 2 and a suggestion', async () => {
    const r = await drctl(['valdate', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("drctl: unknown command 'valdate'");
    expect(r.stderr).toContain('validate');
  });
});
