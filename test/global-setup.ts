/**
 * Runs once before the suite: bundles drctl and the function (npm run build) and the Lambda zips
 * (dist/lambda), so test files that run the built programs share one build instead of racing.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const script of ['scripts/build.mjs', 'scripts/build-lambda.mjs']) {
    execFileSync(process.execPath, [script, ...(script.includes('lambda') ? ['--check'] : [])], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}
