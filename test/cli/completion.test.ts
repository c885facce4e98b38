/** `drctl completion bash` really completes, in a real bash. */
import { describe, expect, it } from 'vitest';
import { repoPath } from '../support/paths.js';
import { run } from '../support/process.js';

const complete = async (words: string[]) => {
  const script = `source <(node ${repoPath('bin', 'drctl.mjs')} completion bash); COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _drctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return (await run('bash', ['-c', script], { cwd: repoPath() })).stdout.trim().split('\n');
};

// Every completion runs a bash and a node process (the explain test, a dozen more): the time is the machine's, not a
// target, so each test allows minutes on a busy machine.
describe('drctl completion', { timeout: 180_000 }, () => {
  it('completes command names', async () => {
    expect(await complete(['drctl', 'pl'])).toEqual(['plan']);
    expect(await complete(['drctl', 'fa'])).toEqual(['failover']);
  });

  it("completes a command's options", async () => {
    expect(await complete(['drctl', 'failover', '--un'])).toEqual(['--unplanned']);
    expect(await complete(['drctl', 'plan', '--d'])).toEqual(['--diff']);
  });

  it('completes the values of --output (the formats of that command)', async () => {
    expect(await complete(['drctl', 'plan', 'examples/payments.yaml', '--output', ''])).toEqual(['table', 'json', 'yaml']);
    expect(await complete(['drctl', 'validate', '-o', ''])).toEqual(['text', 'json']);
    expect(await complete(['drctl', 'status', 'x.yaml', '--output', 'y'])).toEqual(['yaml']);
    expect(await complete(['drctl', 'drill', 'x.yaml', '-o', ''])).toEqual(['text', 'json']);
  });

  it('completes the field paths drctl explain takes', async () => {
    expect(await complete(['drctl', 'explain', 'spec.da'])).toEqual([
      'spec.database',
      ...(await complete(['drctl', 'explain', 'spec.database.'])),
    ]);
    expect(await complete(['drctl', 'explain', 'spec.database.engineV'])).toEqual(['spec.database.engineVersion']);
    expect(await complete(['drctl', 'explain', 'spec.tables.hash'])).toEqual(
      expect.arrayContaining(['spec.tables.hashKey', 'spec.tables.hashKey.name', 'spec.tables.hashKey.type']),
    );
    // Every completed path is one drctl explain accepts.
    for (const path of await complete(['drctl', 'explain', 'spec.routing'])) {
      const r = await run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'explain', path], { cwd: repoPath() });
      expect(r.code, `${path}: ${r.stderr}`).toBe(0);
    }
  });

  it('refuses an unknown shell', async () => {
    const r = await run(process.execPath, [repoPath('bin', 'drctl.mjs'), 'completion', 'fish'], { cwd: repoPath() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use bash or zsh');
  });
});
