/**
 * The Prometheus Operator's CRDs, to validate the bootstrap's PodMonitor against: the files upstream ships in
 * example/prometheus-operator-crd of the Go module github.com/prometheus-operator/prometheus-operator, downloaded at a
 * pinned version through the Go module proxy (`go mod download`, cached in the Go module cache; the checksum is
 * checked by Go against sum.golang.org and here against the pinned one). `PROMETHEUS_OPERATOR_CRDS_DIR` names a folder
 * of the same files instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The pinned Prometheus Operator release (the newest the Go module proxy serves here). */
export const PROMETHEUS_OPERATOR_VERSION = 'v0.85.0';
const MODULE = 'github.com/prometheus-operator/prometheus-operator';
/** go.sum hash of the module zip at that version. */
const MODULE_SUM = 'h1:M5xLCLEoaW2IJfnuCwFzzpL+jSVQu3KGT84Pye+fW8s=';

let cached: string | undefined;

/** Folder of the monitoring.coreos.com CRDs (one file per kind, e.g. monitoring.coreos.com_podmonitors.yaml). */
export function prometheusOperatorCrdsDir(): string {
  if (process.env.PROMETHEUS_OPERATOR_CRDS_DIR) return process.env.PROMETHEUS_OPERATOR_CRDS_DIR;
  if (cached) return cached;
  let out: string;
  try {
    // Outside any module or workspace, so nothing in the checkout changes what is downloaded.
    out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${PROMETHEUS_OPERATOR_VERSION}`], {
      cwd: tmpdir(),
      env: { ...process.env, GOWORK: 'off', GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new Error(
      `cannot download ${MODULE}@${PROMETHEUS_OPERATOR_VERSION} for its CRDs (needs go and the Go module proxy; or set PROMETHEUS_OPERATOR_CRDS_DIR): ${detail}`,
    );
  }
  const info = JSON.parse(out) as { Dir?: string; Sum?: string };
  if (info.Sum !== MODULE_SUM)
    throw new Error(`${MODULE}@${PROMETHEUS_OPERATOR_VERSION}: checksum ${info.Sum}, pinned ${MODULE_SUM}`);
  const dir = join(info.Dir ?? '', 'example', 'prometheus-operator-crd');
  if (!existsSync(join(dir, 'monitoring.coreos.com_podmonitors.yaml')))
    throw new Error(`${dir} holds no monitoring.coreos.com_podmonitors.yaml`);
  cached = dir;
  return dir;
}

/** The PodMonitor CRD file. */
export function podMonitorCrd(): string {
  return join(prometheusOperatorCrdsDir(), 'monitoring.coreos.com_podmonitors.yaml');
}
