/**
 * Runs once before the suite: bundles drctl and the function (npm run build) and the Lambda zips
 * (dist/lambda), so test files that run the built programs share one build instead of racing; and names every
 * tier that cannot run on this machine, at the start and again at the end of the run.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missingTools } from './support/tools.js';
import { type Tier, missingChromium, missingGopherLua, missingLua, reportSkippedTiers } from './support/prerequisites.js';

/** The tiers that need a program besides npm packages, and why each cannot run (undefined when it can). */
function tiers(): Tier[] {
  return [
    { name: 'Argo CD health scripts under Lua 5.1 (test/bootstrap/lua.test.ts)', missing: missingLua() },
    { name: 'Argo CD health scripts under gopher-lua (test/bootstrap/lua.test.ts)', missing: missingGopherLua() },
    { name: 'portal in Chromium (test/portal/browser.test.ts)', missing: missingChromium() },
    { name: 'crossplane render / validate (test/golden, test/render, …)', missing: missingTools() },
  ];
}

export default function setup(): () => void {
  const checked = tiers();
  reportSkippedTiers(checked, 'IN THIS RUN');
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const script of ['scripts/build.mjs', 'scripts/build-lambda.mjs']) {
    execFileSync(process.execPath, [script, ...(script.includes('lambda') ? ['--check'] : [])], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return () => reportSkippedTiers(checked, 'IN THIS RUN (see above)');
}
