/** `drctl cost FILE`: monthly estimate per region and component, from the spec and the plan. */
import type { Command } from 'commander';
import type { AssumptionOverrides, CostEstimate } from '../../estimate/index.js';
import { ASSUMED_ON } from '../../estimate/prices.js';
import { loadClaim } from '../claims.js';
import { CliError } from '../errors.js';
import { colors, outputFormat, outputOption, printData, table } from '../output.js';

/** The --output formats of this command (the first is the default). */
const FORMATS = ['table', 'json', 'yaml'] as const;

const usd = (n: number) => `$${n.toFixed(2)}`;

/**
 * A unit price as AWS lists it: at least cents, and four significant digits below that ($0.023 per GB-month of S3,
 * $0.0000004 per GET request, $0.00001333 per Lambda GB-second), never a misleading $0.00 or a rounded $0.02.
 */
export function unitPrice(n: number): string {
  const digits = Number(n.toPrecision(4)).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 20,
    useGrouping: false,
  });
  return `$${digits}`;
}

/** A positive number flag, or a usage error naming it. */
function positive(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new CliError(`${flag} ${value} is not a number ≥ 0; write e.g. ${flag} 100`);
    return n;
  };
}

/** A YYYY-MM-DD day flag, or a usage error naming it. */
function day(flag: string) {
  return (value: string): string => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
      throw new CliError(`${flag} ${value} is not a day; write it YYYY-MM-DD, e.g. ${flag} 2027-04-01`);
    return value;
  };
}

/** Registers the cost command. */
export function register(program: Command): void {
  program
    .command('cost')
    .description('estimate the monthly AWS cost of an estate, per region and per component')
    .argument('<file>', 'claim file')
    .addOption(outputOption(FORMATS))
    .option('--requests <perMonth>', 'service requests per month', positive('--requests'))
    .option('--db-gb <gb>', 'Aurora data size in GB', positive('--db-gb'))
    .option('--table-gb <gb>', 'data per DynamoDB table in GB', positive('--table-gb'))
    .option('--table-writes <perSecond>', 'writes per second per table', positive('--table-writes'))
    .option('--bucket-gb <gb>', 'data per bucket in GB', positive('--bucket-gb'))
    .option('--on <day>', "day (YYYY-MM-DD) the EKS clusters' support tier is judged on (default: today)", day('--on'))
    .addHelpText(
      'after',
      `
Examples:
  $ drctl cost examples/payments.yaml
  $ drctl cost examples/payments.yaml --db-gb 500 --requests 50000000
  $ drctl cost examples/payments.yaml --output json | jq .totalMonthlyUsd
  $ drctl cost examples/kubernetes.yaml --on 2027-04-01     EKS control planes as billed on that day

Prices are list prices from the table in src/estimate/prices.ts (source and status per row: confirmed, unconfirmed or assumption);
the assumptions used are printed with the estimate.`,
    )
    .action(async (file: string, opts: Record<string, string | number | undefined>) => {
      const format = outputFormat(String(opts.output), FORMATS);
      const claim = loadClaim(file);
      const [{ planClaim }, { estimateCost }] = await Promise.all([
        import('../../compose/plan.js'),
        import('../../estimate/index.js'),
      ]);
      const estimate = estimateCost(claim.spec, planClaim(claim), overrides(opts));
      if (format === 'table') process.stdout.write(render(file, estimate));
      else printData(format as 'json' | 'yaml', estimate);
    });
}

function overrides(opts: Record<string, string | number | undefined>): AssumptionOverrides {
  const o: { service?: object; database?: object; tables?: object; buckets?: object; kubernetes?: object } = {};
  if (opts.requests !== undefined) o.service = { requestsPerMonth: opts.requests };
  if (opts.dbGb !== undefined) o.database = { dataGb: opts.dbGb };
  const table = {
    ...(opts.tableGb !== undefined ? { dataGb: opts.tableGb } : {}),
    ...(opts.tableWrites !== undefined ? { writesPerSecond: opts.tableWrites } : {}),
  };
  if (Object.keys(table).length) o.tables = { default: table };
  if (opts.bucketGb !== undefined) o.buckets = { default: { dataGb: opts.bucketGb } };
  if (opts.on !== undefined) o.kubernetes = { supportOn: opts.on };
  return o as AssumptionOverrides;
}

function render(file: string, e: CostEstimate): string {
  const c = colors();
  const groups = [...Object.entries(e.regions), ['global', e.global] as const];
  const rows = groups.flatMap(([region, g]) =>
    g.components.map((l) => [
      region,
      l.component,
      l.item,
      `${l.quantity} ${l.unit}`,
      `${unitPrice(l.unitUsd)}${l.regionalPrice === 'fallback' ? '*' : ''}`,
      usd(l.monthlyUsd),
    ]),
  );
  const regional = Object.entries(e.regionalPrices).map(
    ([region, u]) =>
      `${region} ${u.listed} from ${region} rows, ${u.fallback} at ${u.multiplier === 1 ? "us-east-1's price" : `us-east-1's price × ${u.multiplier}`}${u.fallback > 0 ? ` (*: unconfirmed for ${region})` : ''}`,
  );
  const totals = groups.map(([region, g]) => `${region} ${usd(g.totalUsd)}`).join(', ');
  const a = e.assumptions;
  return [
    table(['REGION', 'COMPONENT', 'ITEM', 'QUANTITY', 'UNIT PRICE', 'MONTHLY'], rows),
    '',
    `${c.bold(`${file}: ${usd(e.totalMonthlyUsd)} per month`)} (${totals})`,
    `assumptions: ${a.service.requestsPerMonth} requests/month; Aurora ${a.database.dataGb} GB; ${a.tables.default.dataGb} GB and ${a.tables.default.writesPerSecond} writes/s per table; ${a.buckets.default.dataGb} GB per bucket (flags change them)`,
    `  also: Aurora ${a.database.writeIosPerSecond} write + ${a.database.readIosPerSecond} read I/Os/s; ${a.backup.dailyChangeRate * 100}% of each store changes a day; ` +
      `health checks billed as ${a.routing.endpointType === 'aws' ? `AWS endpoints, ${a.routing.freeAwsHealthChecks} of the account's 50 free ones this estate's` : 'non-AWS endpoints (the regional custom domains <region>.<recordName>, or the service endpoints without a custom domain), none free'}; ${a.logs.serviceBytesPerRequest} bytes of logs per request; KMS keys ${a.kms.keyAgeYears} years old (rotations billed: ${Math.min(2, Math.max(0, Math.floor(a.kms.keyAgeYears)))} per key) (--output json lists them all)`,
    `prices: ${e.priceStatus.confirmed} confirmed against a source, ${e.priceStatus.unconfirmed} unconfirmed list prices (written ${e.priceTableDate} to ${ASSUMED_ON}, not read on the pages), ${e.priceStatus.assumption} assumptions (see docs/cost-hand-computation.md)`,
    ...(regional.length > 0 ? [`regional prices (lines): ${regional.join('; ')}`] : []),
    ...e.notes.map((n) => `note: ${n}`),
    '',
  ].join('\n');
}
