/** <dr-claims>: the claims of the repository (HEAD), with their status (cluster or git), each with a failover action. */
import { LitElement, type TemplateResult, html, nothing } from 'lit';
import { ApiError, type StoredClaim, api } from './api.js';

export class ClaimsList extends LitElement {
  static override properties = {
    claims: { state: true },
    error: { state: true },
    open: { state: true },
    result: { state: true },
    formError: { state: true },
    sending: { state: true },
  };
  declare claims: StoredClaim[] | undefined;
  declare error: string;
  /** namespace/name of the claim whose failover form is open. */
  declare open: string;
  declare result: string;
  declare formError: string;
  declare sending: boolean;

  constructor() {
    super();
    this.error = '';
    this.open = '';
    this.result = '';
    this.formError = '';
    this.sending = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** Reloads the list from the repository. */
  async load(): Promise<void> {
    try {
      this.claims = (await api.claims()).claims;
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  override render(): TemplateResult {
    return html`
      <div class="list-head">
        <h2>Claims in the repository</h2>
        <button type="button" class="secondary" @click=${() => this.load()}>Refresh</button>
      </div>
      <p class="muted">
        From the checked-out commit (HEAD) under <code>claims/</code>; status comes from the cluster when the portal has a
        kubeconfig, else it is what git holds.
      </p>
      ${this.error ? html`<p class="banner error">${this.error}</p>` : nothing}
      ${this.result ? html`<p class="banner ok" data-testid="failover-result">${this.result}</p>` : nothing}
      ${
        this.claims === undefined
          ? html`<p class="muted">Loading…</p>`
          : this.claims.length === 0
            ? html`<p class="muted">No claims in HEAD yet.</p>`
            : html`<table class="claims">
                <thead>
                  <tr>
                    <th>Claim</th>
                    <th>Environment</th>
                    <th>Regions</th>
                    <th>Active</th>
                    <th>Status</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  ${this.claims.map((c) => this.row(c))}
                </tbody>
              </table>`
      }
    `;
  }

  private row(c: StoredClaim): TemplateResult {
    const id = `${c.namespace}/${c.name}`;
    return html`<tr data-claim=${id}>
        <td><strong>${c.name}</strong><br /><small class="muted">${c.namespace} · ${c.path}</small></td>
        <td>${c.environment}</td>
        <td>${[c.primary, ...c.secondaries].join(', ')}</td>
        <td><span class="pill ok">${c.activeRegion}</span></td>
        <td><span class="pill">${c.status}</span></td>
        <td>
          <button
            type="button"
            class="secondary"
            @click=${() => ((this.open = this.open === id ? '' : id), (this.formError = ''))}
          >
            Fail over…
          </button>
        </td>
      </tr>
      ${
        this.open === id
          ? html`<tr class="failover-row">
              <td colspan="6">${this.form(c)}</td>
            </tr>`
          : nothing
      }`;
  }

  private form(c: StoredClaim): TemplateResult {
    const targets = [c.primary, ...c.secondaries].filter((r) => r !== c.activeRegion);
    const submit = async (e: SubmitEvent) => {
      e.preventDefault();
      const data = new FormData(e.target as HTMLFormElement);
      const unplanned = data.get('unplanned') === 'on';
      this.sending = true;
      try {
        const r = await api.failover(c.namespace, c.name, {
          to: String(data.get('to')),
          reason: String(data.get('reason') ?? ''),
          unplanned,
          yes: data.get('yes') === 'on',
        });
        this.result = r.branch
          ? `${c.namespace}/${c.name}: failover ${r.from} → ${r.to} committed as ${r.commit.slice(0, 12)} on branch ${r.branch}; it applies once its pull request is merged.`
          : `${c.namespace}/${c.name}: failover ${r.from} → ${r.to} committed as ${r.commit.slice(0, 12)}; Argo CD applies it on its next sync.`;
        this.open = '';
        await this.load();
      } catch (err) {
        this.formError = err instanceof ApiError && err.field ? `${err.field}: ${err.message}` : (err as Error).message;
      } finally {
        this.sending = false;
      }
    };
    return html`<form class="failover" @submit=${submit}>
      <div class="field">
        <label>Target region</label
        ><select name="to">
          ${targets.map((r) => html`<option value=${r}>${r}</option>`)}
        </select>
      </div>
      <div class="field grow">
        <label>Reason (goes into the commit)</label><input name="reason" required placeholder="e.g. quarterly DR drill" />
      </div>
      <label class="check"><input type="checkbox" name="unplanned" /> Unplanned (the active region is down)</label>
      <label class="check"><input type="checkbox" name="yes" /> I accept losing the replication lag</label>
      <button type="submit" class="danger" ?disabled=${this.sending}>Commit failover</button>
      ${this.formError ? html`<p class="problem error" role="alert">${this.formError}</p>` : nothing}
    </form>`;
  }
}

customElements.define('dr-claims', ClaimsList);
