/**
 * <dr-side-panel>: what the claim becomes, live: resources per region (/api/plan), monthly cost
 * (/api/cost), RPO/RTO against the objectives (/api/objectives) and the YAML to commit.
 */
import { LitElement, type TemplateResult, html, nothing, svg } from 'lit';
import type { Cost, Objectives, PlanSummary } from './api.js';

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const seconds = (s: number) => (s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

export class SidePanel extends LitElement {
  static override properties = {
    plan: { attribute: false },
    cost: { attribute: false },
    objectives: { attribute: false },
    yaml: { attribute: false },
    stale: { type: Boolean },
    busy: { type: Boolean },
  };
  declare plan: PlanSummary | undefined;
  declare cost: Cost | undefined;
  declare objectives: Objectives | undefined;
  declare yaml: string;
  declare stale: boolean;
  declare busy: boolean;

  constructor() {
    super();
    this.yaml = '';
    this.stale = false;
    this.busy = false;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render(): TemplateResult {
    const empty = !this.plan;
    return html`
      <div class="panel-status ${this.stale ? 'stale' : ''}" aria-live="polite">
        ${this.busy ? html`<span class="spinner"></span> updating…` : this.stale ? 'Fix the problems in the form to update the estimates.' : empty ? 'Fill in the form: the plan appears once the claim is valid.' : 'Up to date with the form.'}
      </div>
      <section class="card panel ${this.stale ? 'dim' : ''}" id="panel-cost">
        <h3>Monthly cost</h3>
        ${
          this.cost
            ? html`<p class="big" data-testid="cost-total">${usd(this.cost.totalMonthlyUsd)}<span class="unit"> / month</span></p>
                <ul class="kv">
                  ${Object.entries(this.cost.regions).map(([r, g]) => html`<li><span>${r}</span><span>${usd(g.totalUsd)}</span></li>`)}
                  <li><span>global</span><span>${usd(this.cost.global.totalUsd)}</span></li>
                </ul>
                <small class="muted"
                  >Prices: ${this.cost.priceStatus.confirmed} confirmed against a source, ${this.cost.priceStatus.unconfirmed}
                  unconfirmed list prices (as written ${this.cost.priceTableDate}), ${this.cost.priceStatus.assumption}
                  assumptions; default usage assumptions (drctl cost flags change them).</small
                >`
            : html`<p class="muted">—</p>`
        }
      </section>
      <section class="card panel ${this.stale ? 'dim' : ''}" id="panel-objectives">
        <h3>Recovery objectives</h3>
        ${this.objectives ? this.objectivesView(this.objectives) : html`<p class="muted">—</p>`}
      </section>
      <section class="card panel ${this.stale ? 'dim' : ''}" id="panel-plan">
        <h3>Resources${this.plan ? html` <span class="count" data-testid="plan-total">${this.plan.total}</span>` : nothing}</h3>
        ${this.plan ? this.planView(this.plan) : html`<p class="muted">—</p>`}
      </section>
      <section class="card panel" id="panel-yaml">
        <details>
          <summary><h3>YAML to commit</h3></summary>
          <pre class="yaml" data-testid="yaml">${this.yaml}</pre>
        </details>
      </section>
    `;
  }

  private planView(plan: PlanSummary): TemplateResult {
    const regions = Object.entries(plan.byRegion).sort(([a], [b]) => (a === 'global' ? 1 : b === 'global' ? -1 : 0));
    return html`<div class="regions">
      ${regions.map(([region, kinds]) => {
        const total = Object.values(kinds).reduce((a, b) => a + b, 0);
        return html`<details class="region" data-region=${region}>
          <summary><span>${region}</span><span class="count">${total}</span></summary>
          <ul class="kv small">
            ${Object.entries(kinds)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, n]) => html`<li><span>${k}</span><span>${n}</span></li>`)}
          </ul>
        </details>`;
      })}
    </div>`;
  }

  private objectivesView(o: Objectives): TemplateResult {
    const verdict =
      o.met === null
        ? html`<span class="pill">no objectives stated</span>`
        : o.met
          ? html`<span class="pill ok">objectives met</span>`
          : html`<span class="pill bad">objectives not met</span>`;
    return html`
      <p>${verdict}</p>
      ${this.bar('RPO', o.rpoSeconds, o.typical.rpoSeconds, o.rpo.objectiveSeconds, seconds, o.rpo.met)}
      ${this.bar('RTO', o.rtoMinutes * 60, o.typical.rtoMinutes * 60, o.rto.objectiveMinutes === undefined ? undefined : o.rto.objectiveMinutes * 60, seconds, o.rto.met)}
      <small class="muted">Bar: worst case (darker part: typical case). Dashed line: the objective.</small>
      ${
        o.advice.length
          ? html`<ul class="advice">
              ${o.advice.map((a) => html`<li><code>${a.field}</code> ${a.change}</li>`)}
            </ul>`
          : nothing
      }
    `;
  }

  /** A horizontal bar: typical and worst estimate, with the objective as a line. */
  private bar(
    label: string,
    worst: number,
    typical: number,
    objective: number | undefined,
    fmt: (n: number) => string,
    met: boolean | null,
  ): TemplateResult {
    const max = Math.max(worst, objective ?? 0, 1) * 1.15;
    const x = (v: number) => 4 + (v / max) * 252;
    const tone = met === false ? 'bad' : met ? 'ok' : 'neutral';
    return html`<div class="bar" data-objective=${label}>
      <div class="bar-label">
        <strong>${label}</strong
        ><span
          >${fmt(worst)} worst · ${fmt(typical)}
          typical${objective !== undefined ? html` · objective ${fmt(objective)}` : nothing}</span
        >
      </div>
      <svg
        viewBox="0 0 260 26"
        role="img"
        aria-label="${label} ${fmt(worst)} against objective ${objective === undefined ? 'none' : fmt(objective)}"
      >
        ${svg`<rect x="4" y="7" width="252" height="12" rx="6" class="track"></rect>
        <rect x="4" y="7" width=${Math.max(x(worst) - 4, 2)} height="12" rx="6" class="fill ${tone}"></rect>
        <rect x="4" y="7" width=${Math.max(x(typical) - 4, 2)} height="12" rx="6" class="typical"></rect>
        ${objective !== undefined ? svg`<line x1=${x(objective)} x2=${x(objective)} y1="2" y2="24" class="target"></line>` : nothing}`}
      </svg>
    </div>`;
  }
}

customElements.define('dr-side-panel', SidePanel);
