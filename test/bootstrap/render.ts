/**
 * The bootstrap as the tests see it: rendered in-process from charts/bootstrap (the drift test checks that the
 * committed compositions/bootstrap is the same bytes), plus the other files its Applications sync (the XRDs and
 * Compositions in compositions/apis, the claims of a fork's claims/ folder), each object tagged with the Application
 * that syncs it. The claims folder is a fixture laid out as a fork commits it (claims/<namespace>/<name>.yaml, from
 * the examples), not this repository's claims/, which holds no estate.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { bootstrapCharts } from '../../charts/bootstrap/index.js';
import { DEFAULT_PORTAL, PortalChart, type PortalSettings } from '../../charts/bootstrap/portal.js';
import { BOOTSTRAP_PATH, DEFAULT_SETTINGS, type BootstrapSettings } from '../../charts/bootstrap/settings.js';
import { toYaml } from '../../charts/write.js';
import { withDeletionGuard } from '../../src/gitops/argocd.js';
import { createTempDir, readYamlDocuments, removeTempDir, yamlFilesIn } from '../support/files.js';
import { repoPath } from '../support/paths.js';

/** A Kubernetes object as the tests read it. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly labels?: Record<string, string>;
    readonly finalizers?: string[];
    readonly generation?: number;
  };
  readonly spec?: any;
  readonly data?: Record<string, string>;
}

/** The rendered bootstrap: every file (path relative to compositions/bootstrap) and its objects. */
export interface RenderedBootstrap {
  readonly files: ReadonlyMap<string, readonly Manifest[]>;
  /** Every object of every file. */
  readonly objects: readonly Manifest[];
  /** The files as one YAML stream, for `crossplane resource validate`. */
  readonly yaml: string;
}

/**
 * The claims folder of a fork, by file (relative to claims/) and the example it copies: two production teams, a
 * prunable one (`-dev`), and a team folder onboarded before its first claim (nothing to apply yet).
 */
export const FORK_CLAIMS: Readonly<Record<string, string | undefined>> = {
  'team-payments/payments.yaml': 'payments.yaml',
  'team-sandbox/minimal.yaml': 'minimal.yaml',
  'team-orders-dev/orders.yaml': 'three-region.yaml',
  'team-ledger/.gitkeep': undefined,
};

let forkClaimsDir: string | undefined;

/**
 * The fork's claims folder on disk, written once per test file from FORK_CLAIMS (each claim moved to the namespace
 * of its folder) and removed when the test process exits.
 */
export function forkClaims(): string {
  if (forkClaimsDir) return forkClaimsDir;
  const dir = createTempDir('fork-claims');
  process.once('exit', () => removeTempDir(dir));
  for (const [file, example] of Object.entries(FORK_CLAIMS)) {
    const namespace = file.split('/')[0]!;
    mkdirSync(join(dir, namespace), { recursive: true });
    // As the portal commits them: with the claim's own Delete=false (src/gitops/argocd.ts).
    const text = example
      ? withDeletionGuard(
          readFileSync(repoPath('examples', example), 'utf8').replace(/^ {2}namespace: .*$/m, `  namespace: ${namespace}`),
        )
      : '';
    writeFileSync(join(dir, file), text);
  }
  forkClaimsDir = dir;
  return dir;
}

const rendered = new Map<BootstrapSettings, RenderedBootstrap>();

/** Renders the bootstrap charts with `settings` (deterministic; nothing is written; cached per settings object). */
export function renderBootstrap(settings: BootstrapSettings = DEFAULT_SETTINGS): RenderedBootstrap {
  const cached = rendered.get(settings);
  if (cached) return cached;
  const result = render(settings);
  rendered.set(settings, result);
  return result;
}

function render(settings: BootstrapSettings): RenderedBootstrap {
  const files = new Map<string, Manifest[]>();
  for (const [file, chart] of bootstrapCharts(new App(), settings, forkClaims())) files.set(file, chart.toJson() as Manifest[]);
  const objects = [...files.values()].flat();
  return { files, objects, yaml: toYaml(objects) };
}

/** API group of an object ('' for the core group). */
export function groupOf(object: Pick<Manifest, 'apiVersion'>): string {
  return object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '';
}

/** An Application child of the root, with the objects it syncs. */
export interface SyncedApp {
  readonly app: Manifest;
  readonly wave: number;
  /** The objects it applies; a Helm chart's are not rendered here (no helm binary) and the list is empty. */
  readonly objects: readonly Manifest[];
}

/** Objects of the YAML files under a repository folder (recursively when asked), filtered by a file predicate. */
function repoObjects(path: string, recurse: boolean, include: (relative: string) => boolean = () => true): Manifest[] {
  const dir = path === 'claims' || path.startsWith('claims/') ? join(forkClaims(), path.slice('claims'.length)) : repoPath(path);
  const files = recurse
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
        .map((e) => join(e.parentPath, e.name))
        .sort()
    : yamlFilesIn(dir);
  return files.filter((file) => include(file.slice(dir.length + 1))).flatMap((file) => readYamlDocuments(file) as Manifest[]);
}

/** Turns an Argo CD directory `include` glob into a predicate on paths relative to the Application path. */
function includePredicate(glob: string | undefined): (relative: string) => boolean {
  if (!glob) return () => true;
  const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return (relative) => new RegExp(`^${pattern}$`).test(relative);
}

/**
 * The child Applications in `rendered` (the files under apps/) with what each one syncs: generated files for paths
 * under compositions/bootstrap, committed repository files otherwise.
 */
export function syncedApps(rendered: RenderedBootstrap): SyncedApp[] {
  const cached = synced.get(rendered);
  if (cached) return cached;
  const result = resolveApps(rendered);
  synced.set(rendered, result);
  return result;
}

const synced = new WeakMap<RenderedBootstrap, SyncedApp[]>();
const repoFiles = new Map<string, Manifest[]>();

function resolveApps(rendered: RenderedBootstrap): SyncedApp[] {
  const apps = [...rendered.files.entries()].filter(([file]) => file.startsWith('apps/')).flatMap(([, objects]) => objects);
  return apps.map((app) => {
    const source = app.spec.source;
    let objects: Manifest[] = [];
    if (source.path?.startsWith(`${BOOTSTRAP_PATH}/`)) {
      const folder = source.path.slice(BOOTSTRAP_PATH.length + 1);
      objects = [...rendered.files.entries()].filter(([file]) => file.startsWith(`${folder}/`)).flatMap(([, objs]) => objs);
    } else if (source.path) {
      const key = JSON.stringify([source.path, source.directory]);
      if (!repoFiles.has(key)) {
        repoFiles.set(
          key,
          repoObjects(source.path, source.directory?.recurse === true, includePredicate(source.directory?.include)),
        );
      }
      objects = repoFiles.get(key)!;
    }
    return { app, wave: Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0'), objects };
  });
}

/** Portal settings with the oauth2-proxy sidecar on (an installation's values; charts/bootstrap/portal.ts). */
export const SIDECAR_PORTAL: PortalSettings = {
  ...DEFAULT_PORTAL,
  signIn: {
    mode: 'proxy',
    sidecar: {
      issuer: 'https://id.example.org/realms/acme',
      clientId: 'drplane-portal',
      url: 'https://portal.example.org',
      secret: 'drplane-portal-oauth2-proxy',
    },
  },
};

/** The portal chart alone with `portal` settings (the bootstrap renders DEFAULT_PORTAL). */
export function renderPortal(portal: PortalSettings, teamGroups: BootstrapSettings['teamGroups'] = {}): Manifest[] {
  return new PortalChart(new App(), 'portal', { teamGroups }, portal).toJson() as Manifest[];
}
