/** Reads back what a handler published to CloudWatch (moto keeps recent datapoints). */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DRPLANE_METRICS, dimensionList } from '../../../lambda/shared/metrics-contract.js';

/**
 * Values of drplane/<metric> with exactly `dimensions`, Maximum per second, with a timestamp in [at, at + 1 s), as
 * moto's CloudWatch in `region` holds them.
 */
export async function drplaneMetricAt<T extends { readonly [K in keyof T]: string }>(
  metric: string,
  dimensions: T,
  at: Date,
  region = 'us-east-1',
): Promise<number[]> {
  const out = await new CloudWatchClient({ region }).send(
    new GetMetricDataCommand({
      StartTime: at,
      EndTime: new Date(at.getTime() + 1000),
      MetricDataQueries: [
        {
          Id: 'q',
          MetricStat: {
            Metric: {
              Namespace: DRPLANE_METRICS.namespace,
              MetricName: metric,
              Dimensions: dimensionList(dimensions),
            },
            Period: 1,
            Stat: 'Maximum',
          },
        },
      ],
    }),
  );
  return out.MetricDataResults?.[0]?.Values ?? [];
}
