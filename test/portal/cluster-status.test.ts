/** GET /api/claims asks the cluster for each claim's status when the portal has a kubeconfig. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/portal/app.js';
import { suiteTempDir } from '../support/files.js';
import { startRecordedApi, withRecordedApi, type RecordedApi } from '../support/recorded-api.js';
import { tempRepo } from './helpers.js';

let api: RecordedApi;
beforeAll(async () => {
  api = await startRecordedApi('minimal-estate', suiteTempDir('portal-cluster-'));
});
afterAll(() => api?.close());

describe('claims list with a cluster', () => {
  it('reports the cluster status of each stored claim', async () => {
    const app = createApp({ repository: tempRepo(), kubeconfig: api.kubeconfig });
    const res = await app.request('/api/claims');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { source: string; claims: { name: string; status: string }[] };
    expect(body.source).toContain('cluster');
    expect(body.claims).toEqual([expect.objectContaining({ name: 'minimal', status: 'Not ready' })]);
    expect(api.requests).toContain('/apis/drplane.io/v1alpha1/namespaces/team-sandbox/disasterrecoveries/minimal');
  });

  it('reports Paused when part of the estate is paused (as the Aurora clusters are around a switchover)', async () => {
    await withRecordedApi(
      'minimal-estate',
      suiteTempDir('portal-paused-'),
      (objects) => {
        const key = objects.find((o) => o.kind === 'Key')!;
        key.metadata.annotations = { ...key.metadata.annotations, 'crossplane.io/paused': 'true' };
      },
      async (paused) => {
        const res = await createApp({ repository: tempRepo(), kubeconfig: paused.kubeconfig }).request('/api/claims');
        const body = (await res.json()) as { claims: { name: string; status: string }[] };
        expect(body.claims).toEqual([expect.objectContaining({ name: 'minimal', status: 'Paused' })]);
      },
    );
  });

  it('says "in git" without a kubeconfig', async () => {
    const res = await createApp({ repository: tempRepo() }).request('/api/claims');
    const body = (await res.json()) as { claims: { status: string }[] };
    expect(body.claims[0]!.status).toBe('in git');
  });
});
