/**
 * `npm run drill`: the failover drill on moto (test/drill/drill.ts). Prints the per-step table and the RTO of each
 * scenario; exits 1 when a scenario did not do what the drill requires.
 */
import { drillFailures, formatReport, runDrill } from './drill.js';

const report = await runDrill();
console.log(formatReport(report));
const failures = drillFailures(report);
if (failures.length > 0) {
  console.error(`\ndrill FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log('\ndrill passed: every scenario did what it must');
process.exit(0);
