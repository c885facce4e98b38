/**
 * <dr-portal>: the page. The form on the left, the live plan, cost and objectives on the right,
 * the claims of the repository below. Every figure comes from the API (src/ on the server).
 */
import { LitElement, type TemplateResult, html, nothing } from 'lit';
import { stringify } from 'yaml';
import {
  ApiError,
  type Cost,
  type Objectives,
  type PlanSummary,
  type Problem,
  type SchemaNode,
  type Session,
  api,
  token,
} from './api.js';
import type { ClaimChange } from './claim-form.js';
import './claim-form.js';
import type { ClaimsList } from './claims-list.js';
import './claims-list.js';
import { newClaim, pruned, setAt } from './model.js';
import './side-panel.js';

/** Wait after the last keystroke before asking the server. */
const DEBOUNCE_MS = 300;

export class Portal extends LitElement {
  static override properties = {
    schema: { state: true },
    regions: { state: true },
    claim: { state: true },
    problems: { state: true },
    touched: { state: true },
    plan: { state: true },
    cost: { state: true },
    objectives: { state: true },
    stale: { state: true },
    busy: { state: true },
    loadError: { state: true },
    committed: { state: true },
    commitError: { state: true },
    tokenRequired: { state: true },
    writes: { state: true },
    session: { state: true },
    signInNeeded: { state: true },
  };
  declare schema: SchemaNode | undefined;
  declare regions: string[];
  declare claim: Record<string, unknown>;
  declare problems: Problem[];
  declare touched: boolean;
  declare plan: PlanSummary | undefined;
  declare cost: Cost | undefined;
  declare objectives: Objectives | undefined;
  declare stale: boolean;
  declare busy: boolean;
  declare loadError: string;
  declare committed: { branch: string; commit: string; path: string } | undefined;
  declare commitError: string;
  declare tokenRequired: boolean;
  /** How the server takes writes: with the token, open, or not at all (read-only portal). */
  declare writes: 'token' | 'open' | 'off';
  /** The signed-in user, when users sign in (proxy headers or OpenID Connect). */
  declare session: Session | undefined;
  /**
   * Users sign in and nobody was when the page loaded: it shows the way to sign in instead of the estates (a session
   * that ends later keeps the page, whose next write says so).
   */
  declare signInNeeded: boolean;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;

  constructor() {
    super();
    this.regions = [];
    this.claim = {};
    this.problems = [];
    this.touched = false;
    this.stale = false;
    this.busy = false;
    this.loadError = '';
    this.commitError = '';
    this.tokenRequired = false;
    this.writes = 'token';
    this.signInNeeded = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override async connectedCallback(): Promise<void> {
    super.connectedCallback();
    try {
      // When users sign in, everything but the session question needs a signed-in user: ask first.
      const session = await api.session();
      if (session.signIn === 'proxy' || session.signIn === 'oidc') this.session = session;
      this.signInNeeded = this.session !== undefined && !this.session.signedIn;
      if (this.signInNeeded) return;
      const s = await api.schema();
      this.schema = s.schema;
      this.regions = s.regions;
      this.tokenRequired = s.tokenRequired;
      this.writes = s.writes;
      this.claim = newClaim(s.schema);
      this.schedule();
    } catch (err) {
      this.loadError = (err as Error).message;
    }
  }

  /** Asks the server who is signed in. */
  private async loadSession(): Promise<void> {
    this.session = await api.session();
  }

  /** The signed-in user and sign-out, or the way to sign in. */
  private renderSession(): TemplateResult | typeof nothing {
    const s = this.session;
    if (!s) return nothing;
    if (!s.signedIn)
      return s.signIn === 'oidc'
        ? html`<a class="sign-in" data-testid="sign-in" href="/auth/login?back=/">Sign in</a>`
        : html`<span class="muted" data-testid="signed-out">not signed in</span>`;
    const namespaces = s.namespaces?.length ? s.namespaces.join(', ') : 'no namespace';
    return html`<span class="user" data-testid="user" title=${s.email ?? ''}>${s.user}</span>
      <span class="muted" data-testid="namespaces" title="the namespaces your groups may act on">${namespaces}</span>
      ${
        s.signIn === 'oidc'
          ? html`<form class="sign-out" method="post" action="/auth/logout">
              <button type="submit" data-testid="sign-out">Sign out</button>
            </form>`
          : nothing
      }`;
  }

  /** The YAML the portal validates and commits. */
  get yaml(): string {
    return stringify(pruned(this.claim), { lineWidth: 0 });
  }

  private onChange(e: ClaimChange): void {
    this.claim = setAt(this.claim, e.path, e.value);
    this.touched = true;
    this.committed = undefined;
    this.commitError = '';
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  /** Validates, then (when valid) plans and estimates; drops answers a newer edit overtook. */
  private async refresh(): Promise<void> {
    const mine = ++this.sequence;
    const yaml = this.yaml;
    this.busy = true;
    try {
      const v = await api.validate(yaml);
      if (mine !== this.sequence) return;
      this.problems = v.problems;
      if (!v.valid) {
        this.stale = true;
        return;
      }
      const [plan, cost, objectives] = await Promise.all([api.plan(yaml), api.cost(yaml), api.objectives(yaml)]);
      if (mine !== this.sequence) return;
      this.plan = plan.summary;
      this.cost = cost;
      this.objectives = objectives;
      this.stale = false;
    } catch (err) {
      if (mine === this.sequence)
        this.problems = [{ path: '', ruleId: 'portal.request', severity: 'error', message: (err as Error).message }];
    } finally {
      if (mine === this.sequence) this.busy = false;
    }
  }

  private async commit(): Promise<void> {
    this.touched = true;
    this.commitError = '';
    try {
      this.committed = await api.commit(this.yaml);
    } catch (err) {
      if (err instanceof ApiError && err.problems) this.problems = err.problems;
      const signedOut = err instanceof ApiError && err.status === 401 && this.session !== undefined;
      if (signedOut) await this.loadSession().catch(() => undefined);
      this.commitError = signedOut
        ? `Not committed: ${(err as ApiError).message}`
        : err instanceof ApiError && err.status === 401
          ? 'The portal needs its token to write: paste it in the field at the top right.'
          : err instanceof ApiError && err.field
            ? `${err.field}: ${err.message}`
            : (err as Error).message;
    }
  }

  override render(): TemplateResult {
    const errors = this.problems.filter((p) => p.severity === 'error');
    const shown = this.touched ? this.problems : [];
    return html`
      <header class="top">
        <div class="brand">
          <span class="logo"></span><strong>drplane</strong><span class="muted">disaster-recovery portal</span>
        </div>
        <nav>
          <a href="#new">New claim</a><a href="#claims">Claims</a><a href="/api/openapi.json" target="_blank">API</a>
          ${this.renderSession()}
          ${
            this.tokenRequired
              ? html`<input
                  class="token"
                  type="password"
                  placeholder="portal token"
                  aria-label="portal token"
                  .value=${token.get()}
                  @change=${(e: Event) => token.set((e.target as HTMLInputElement).value)}
                />`
              : nothing
          }
        </nav>
      </header>
      ${this.loadError ? html`<p class="banner error">Cannot load the claim schema: ${this.loadError}</p>` : nothing}
      ${
        this.writes === 'off'
          ? html`<p class="banner warning" data-testid="read-only">
              This portal is read-only: it was started without DRPLANE_PORTAL_TOKEN, so it cannot commit claims or fail over.
              Validation, plans and estimates work; copy the YAML to commit it yourself.
            </p>`
          : nothing
      }
      ${
        this.signInNeeded
          ? html`<p class="banner warning" data-testid="sign-in-needed">
              Sign in to see your team's estates and propose new ones${this.session?.reason ? ` (${this.session.reason})` : ''}.
            </p>`
          : this.renderMain(errors, shown)
      }
    `;
  }

  /** The form, the estimates and the claims list (for a signed-in user, or when nobody signs in). */
  private renderMain(errors: Problem[], shown: Problem[]): TemplateResult {
    return html`
      <main>
        <section id="new" class="editor">
          <div class="form-col">
            <h1>New disaster-recovery estate</h1>
            <p class="lead">
              Describe the estate; drplane validates it as you type, plans the AWS resources, estimates cost and recovery times,
              and commits the claim to a new branch for review.
            </p>
            ${
              shown.length
                ? html`<div class="summary ${errors.length ? 'error' : 'warning'}" role="status" data-testid="problem-summary">
                    <strong
                      >${errors.length}
                      error${errors.length === 1 ? '' : 's'}${shown.length > errors.length ? `, ${shown.length - errors.length} warning(s)` : ''}</strong
                    >
                    <ul>
                      ${shown.map((p) => html`<li><code>${p.path || '(claim)'}</code> ${p.message}</li>`)}
                    </ul>
                  </div>`
                : nothing
            }
            <dr-claim-form
              .schema=${this.schema}
              .regions=${this.regions}
              .claim=${this.claim}
              .problems=${shown}
              @claim-change=${(e: ClaimChange) => this.onChange(e)}
            ></dr-claim-form>
            <div class="actions">
              <button
                type="button"
                class="primary"
                id="commit"
                ?disabled=${!this.schema || errors.length > 0 || this.busy}
                @click=${() => this.commit()}
              >
                Commit to a new branch
              </button>
              <span class="muted"
                >${errors.length > 0 ? 'Fix the errors to commit.' : 'Writes claims/<namespace>/<name>.yaml on a new branch; your checked-out branch is not touched.'}</span
              >
            </div>
            ${
              this.committed
                ? html`<p class="banner ok" data-testid="commit-result">
                    Committed <code>${this.committed.path}</code> as <code>${this.committed.commit.slice(0, 12)}</code> on branch
                    <code>${this.committed.branch}</code>. Open a pull request from it to merge the estate.
                  </p>`
                : nothing
            }
            ${this.commitError ? html`<p class="banner error commit-error" role="alert">${this.commitError}</p>` : nothing}
          </div>
          <aside class="side">
            <dr-side-panel
              .plan=${this.plan}
              .cost=${this.cost}
              .objectives=${this.objectives}
              .yaml=${this.yaml}
              ?stale=${this.stale && this.touched}
              ?busy=${this.busy && this.touched}
            ></dr-side-panel>
          </aside>
        </section>
        <section id="claims" class="claims-section"><dr-claims></dr-claims></section>
      </main>
    `;
  }

  /** Reloads the claims list (after a commit lands on HEAD elsewhere). */
  reloadClaims(): void {
    void (this.querySelector('dr-claims') as ClaimsList | null)?.load();
  }
}

customElements.define('dr-portal', Portal);
