/**
 * <dr-claim-form>: the claim form, generated from the claim schema (/api/schema). Sections fold
 * with <details>; optional sections switch on with their defaults; the regions get pickers and the
 * network gets one CIDR field per chosen region. Problems from /api/validate show at their field.
 */
import { LitElement, type TemplateResult, html, nothing } from 'lit';
import type { Problem, SchemaNode } from './api.js';
import { type Segment, defaultsOf, formatPath, getAt, labelOf, mapValues } from './model.js';

type Obj = Record<string, unknown>;

/** Fired with the whole new claim whenever a field changes. */
export class ClaimChange extends Event {
  constructor(
    readonly claim: Obj,
    readonly path: Segment[],
    readonly value: unknown,
  ) {
    super('claim-change', { bubbles: true, composed: true });
  }
}

export class ClaimForm extends LitElement {
  static override properties = {
    schema: { attribute: false },
    regions: { attribute: false },
    claim: { attribute: false },
    problems: { attribute: false },
  };
  declare schema: SchemaNode | undefined;
  declare regions: string[];
  declare claim: Obj;
  declare problems: Problem[];

  constructor() {
    super();
    this.regions = [];
    this.claim = {};
    this.problems = [];
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  private emit(path: Segment[], value: unknown): void {
    this.dispatchEvent(new ClaimChange(this.claim, path, value));
  }

  /** Problems reported exactly at `path`. */
  private problemsAt(path: string): Problem[] {
    return this.problems.filter((p) => p.path === path);
  }

  private messages(path: string): TemplateResult | typeof nothing {
    const found = this.problemsAt(path);
    if (found.length === 0) return nothing;
    return html`${found.map((p) => html`<p class="problem ${p.severity}" data-problem-for=${path} role=${p.severity === 'error' ? 'alert' : 'status'}>${p.message}</p>`)}`;
  }

  private chosenRegions(): string[] {
    const r = getAt(this.claim, ['spec', 'regions']) as { primary?: string; secondaries?: string[] } | undefined;
    return [r?.primary, ...(r?.secondaries ?? [])].filter((x): x is string => typeof x === 'string' && x !== '');
  }

  override render(): TemplateResult {
    const spec = this.schema?.properties?.spec;
    const meta = this.schema?.properties?.metadata;
    if (!spec?.properties || !meta?.properties) return html`<p class="muted">Loading the claim schema…</p>`;
    const top = Object.entries(spec.properties).filter(([k]) => ['environment', 'profile', 'activeRegion'].includes(k));
    const sections = Object.entries(spec.properties).filter(([k]) => !['environment', 'profile', 'activeRegion'].includes(k));
    return html`
      <details class="section" open>
        <summary>
          <span class="section-title">Estate</span><span class="section-desc">Name, environment and profile</span>
        </summary>
        <div class="grid">
          ${this.field(['metadata', 'name'], meta.properties.name!, true)}
          ${this.field(['metadata', 'namespace'], meta.properties.namespace!, true)}
          ${top.map(([k, n]) => this.field(['spec', k], n, spec.required?.includes(k) ?? false))}
        </div>
      </details>
      ${sections.map(([k, n]) => this.section(k, n, spec.required?.includes(k) ?? false))}
    `;
  }

  /** A top-level spec section, folded, with a switch when optional. */
  private section(key: string, node: SchemaNode, required: boolean): TemplateResult {
    const path: Segment[] = ['spec', key];
    const value = getAt(this.claim, path);
    const on = required || value !== undefined;
    const count = this.problems.filter(
      (p) =>
        p.path === formatPath(path) || p.path.startsWith(`${formatPath(path)}.`) || p.path.startsWith(`${formatPath(path)}[`),
    ).length;
    const toggle = (e: Event) => {
      const checked = (e.target as HTMLInputElement).checked;
      // A list section starts with one item, so there is something to fill in.
      const initial = node.type === 'array' && node.items ? [defaultsOf(node.items)] : defaultsOf(node);
      this.emit(path, checked ? initial : undefined);
      const details = (e.target as HTMLElement).closest('details');
      if (checked && details) details.open = true;
    };
    return html`
      <details class="section ${on ? '' : 'off'}" data-section=${key} ?open=${required || (on && key === 'objectives')}>
        <summary>
          <span class="section-title">${labelOf(key)}</span>
          ${count > 0 && on ? html`<span class="badge error">${count}</span>` : nothing}
          <span class="section-desc">${node.description ?? ''}</span>
          ${
            required
              ? nothing
              : html`<label class="switch" @click=${(e: Event) => e.stopPropagation()}
                  ><input type="checkbox" name=${`enable-${key}`} .checked=${on} @change=${toggle} /><span
                    >${on ? 'included' : 'add'}</span
                  ></label
                >`
          }
        </summary>
        ${on ? html`<div class="grid">${this.messages(formatPath(path))}${this.childFields(path, node)}</div>` : html`<p class="muted off-note">Not part of this estate. Switch it on to add it with its defaults.</p>`}
      </details>
    `;
  }

  /** The fields of an object; `present` is false for an optional object the claim leaves out (none of them is required then). */
  private childFields(path: Segment[], node: SchemaNode, present = true): TemplateResult[] {
    if (formatPath(path) === 'spec.regions') return [this.regionPickers()];
    if (node.type === 'array' && node.items?.type === 'object') return [this.objectList(path, node)];
    return Object.entries(node.properties ?? {}).map(([k, child]) =>
      this.field([...path, k], child, present && (node.required?.includes(k) ?? false)),
    );
  }

  /** The class of a field: invalid (red) only for errors; warnings are marked as warnings. */
  private fieldClass(path: string): string {
    const found = this.problemsAt(path);
    if (found.some((x) => x.severity === 'error')) return 'invalid';
    return found.length > 0 ? 'warned' : '';
  }

  /** One field of any schema type. */
  private field(path: Segment[], node: SchemaNode, required: boolean): TemplateResult {
    const p = formatPath(path);
    const key = String(path[path.length - 1]);
    if (p === 'spec.network.cidrs') return this.cidrs(path, node);
    if (p === 'spec.activeRegion') return this.select(path, node, required, ['', ...this.chosenRegions()], 'the primary');
    if (node.type === 'object' && node.properties) {
      return html`<fieldset class="wide" data-path=${p}>
        <legend>${labelOf(key)}</legend>
        ${this.messages(p)}
        <div class="grid">${this.childFields(path, node, required || getAt(this.claim, path) !== undefined)}</div>
      </fieldset>`;
    }
    if (node.type === 'object' && mapValues(node)) return this.keyValues(path, node);
    if (node.type === 'array' && node.items?.type === 'object')
      return html`<div class="wide">${this.objectList(path, node)}</div>`;
    if (node.type === 'array' && node.items?.enum) return this.checkboxes(path, node);
    if (node.type === 'array') return this.textList(path, node, required);
    if (node.enum)
      return this.select(path, node, required, [
        ...(required || node.default !== undefined ? [] : ['']),
        ...node.enum.map(String),
      ]);
    if (node.type === 'boolean') {
      const value = getAt(this.claim, path) ?? node.default ?? false;
      return html`<div class="field check" data-path=${p}>
        <label
          ><input
            type="checkbox"
            name=${p}
            .checked=${Boolean(value)}
            @change=${(e: Event) => this.emit(path, (e.target as HTMLInputElement).checked)}
          />
          ${labelOf(key)}</label
        >
        <small>${node.description ?? ''}</small>${this.messages(p)}
      </div>`;
    }
    const numeric = node.type === 'integer' || node.type === 'number';
    const value = getAt(this.claim, path);
    const onInput = (e: Event) => {
      const raw = (e.target as HTMLInputElement).value;
      this.emit(path, raw === '' ? undefined : numeric && Number.isFinite(Number(raw)) ? Number(raw) : raw);
    };
    return html`<div class="field ${this.fieldClass(p)}" data-path=${p}>
      <label for=${p}>${labelOf(key)}${required ? html`<span class="req" title="required">*</span>` : nothing}</label>
      <input
        id=${p}
        name=${p}
        type=${numeric ? 'number' : 'text'}
        .value=${value === undefined ? '' : String(value)}
        placeholder=${node.default !== undefined ? String(node.default) : ''}
        min=${node.minimum ?? nothing}
        max=${node.maximum ?? nothing}
        @input=${onInput}
      />
      <small>${node.description ?? ''}</small>${this.messages(p)}
    </div>`;
  }

  private select(
    path: Segment[],
    node: SchemaNode,
    required: boolean,
    options: string[],
    emptyLabel = 'choose…',
  ): TemplateResult {
    const p = formatPath(path);
    const key = String(path[path.length - 1]);
    // Unset shows the default the schema applies (what the claim means), not whichever option comes first.
    const value = String(getAt(this.claim, path) ?? node.default ?? '');
    return html`<div class="field ${this.fieldClass(p)}" data-path=${p}>
      <label for=${p}>${labelOf(key)}${required ? html`<span class="req">*</span>` : nothing}</label>
      <select id=${p} name=${p} @change=${(e: Event) => this.emit(path, choice(node, (e.target as HTMLSelectElement).value))}>
        ${options.map((o) => html`<option value=${o} ?selected=${o === value}>${o === '' ? emptyLabel : o}</option>`)}
      </select>
      <small>${node.description ?? ''}</small>${this.messages(p)}
    </div>`;
  }

  /** Primary region select and secondary region chips (AWS_REGIONS from the server). */
  private regionPickers(): TemplateResult {
    const primary = String(getAt(this.claim, ['spec', 'regions', 'primary']) ?? '');
    const secondaries = (getAt(this.claim, ['spec', 'regions', 'secondaries']) as string[] | undefined) ?? [];
    const toggle = (region: string, on: boolean) =>
      this.emit(['spec', 'regions', 'secondaries'], on ? [...secondaries, region] : secondaries.filter((r) => r !== region));
    const setPrimary = (e: Event) => {
      const value = (e.target as HTMLSelectElement).value;
      this.emit(['spec', 'regions'], { primary: value, secondaries: secondaries.filter((r) => r !== value) });
    };
    return html`
      <div class="field" data-path="spec.regions.primary">
        <label for="spec.regions.primary">Primary region<span class="req">*</span></label>
        <select id="spec.regions.primary" name="spec.regions.primary" @change=${setPrimary}>
          <option value="" ?selected=${primary === ''}>choose…</option>
          ${this.regions.map((r) => html`<option value=${r} ?selected=${r === primary}>${r}</option>`)}
        </select>
        <small>Region that takes writes in normal operation.</small>${this.messages('spec.regions.primary')}
      </div>
      <div class="field wide" data-path="spec.regions.secondaries">
        <span class="label">Secondary regions<span class="req">*</span></span>
        <div class="chips" role="group" aria-label="Secondary regions">
          ${this.regions
            .filter((r) => r !== primary)
            .map(
              (r) =>
                html`<label class="chip ${secondaries.includes(r) ? 'on' : ''}"
                  ><input
                    type="checkbox"
                    name="secondary"
                    value=${r}
                    .checked=${secondaries.includes(r)}
                    @change=${(e: Event) => toggle(r, (e.target as HTMLInputElement).checked)}
                  />${r}</label
                >`,
            )}
        </div>
        <small>Standby regions with replicas, in order of preference.</small
        >${this.messages('spec.regions.secondaries')}${this.messages('spec.regions')}
      </div>
    `;
  }

  /** One CIDR field per chosen region (network.cidrs is keyed by region). */
  private cidrs(path: Segment[], node: SchemaNode): TemplateResult {
    const p = formatPath(path);
    const regions = this.chosenRegions();
    const values = (getAt(this.claim, path) as Obj | undefined) ?? {};
    return html`<fieldset class="wide" data-path=${p}>
      <legend>VPC CIDRs</legend>
      <small>${node.description ?? ''}</small>${this.messages(p)}
      ${regions.length === 0 ? html`<p class="muted">Choose the regions first; a CIDR field appears for each.</p>` : nothing}
      <div class="grid">
        ${regions.map((region) => {
          const rp = formatPath([...path, region]);
          const bad = this.problemsAt(rp).some((x) => x.severity === 'error');
          return html`<div class="field ${bad ? 'invalid' : ''}" data-path=${rp}>
            <label for=${rp}>${region}</label>
            <input
              id=${rp}
              name=${rp}
              type="text"
              placeholder="10.0.0.0/16"
              .value=${String(values[region] ?? '')}
              @input=${(e: Event) => this.emit([...path, region], (e.target as HTMLInputElement).value || undefined)}
            />
            ${this.messages(rp)}
          </div>`;
        })}
      </div>
    </fieldset>`;
  }

  private checkboxes(path: Segment[], node: SchemaNode): TemplateResult {
    const p = formatPath(path);
    const value = (getAt(this.claim, path) as string[] | undefined) ?? (node.default as string[] | undefined) ?? [];
    const set = (o: string, on: boolean) => this.emit(path, on ? [...value, o] : value.filter((x) => x !== o));
    return html`<div class="field wide" data-path=${p}>
      <span class="label">${labelOf(String(path[path.length - 1]))}</span>
      <div class="chips">
        ${(node.items?.enum ?? []).map(String).map((o) => html`<label class="chip ${value.includes(o) ? 'on' : ''}"><input type="checkbox" .checked=${value.includes(o)} @change=${(e: Event) => set(o, (e.target as HTMLInputElement).checked)} />${o}</label>`)}
      </div>
      <small>${node.description ?? ''}</small>${this.messages(p)}
    </div>`;
  }

  private textList(path: Segment[], node: SchemaNode, required: boolean): TemplateResult {
    const p = formatPath(path);
    const value = (getAt(this.claim, path) as unknown[] | undefined) ?? [];
    const parse = (raw: string) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return html`<div class="field wide" data-path=${p}>
      <label for=${p}>${labelOf(String(path[path.length - 1]))}${required ? html`<span class="req">*</span>` : nothing}</label>
      <input
        id=${p}
        name=${p}
        type="text"
        placeholder="comma-separated"
        .value=${value.join(', ')}
        @change=${(e: Event) => this.emit(path, parse((e.target as HTMLInputElement).value))}
      />
      <small>${node.description ?? ''}</small>${this.messages(p)}${value.map((_, i) => this.messages(formatPath([...path, i])))}
    </div>`;
  }

  private keyValues(path: Segment[], node: SchemaNode): TemplateResult {
    const p = formatPath(path);
    const value = (getAt(this.claim, path) as Obj | undefined) ?? {};
    const text = Object.entries(value)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('\n');
    const parse = (raw: string) => {
      const out: Obj = {};
      for (const line of raw.split('\n')) {
        const i = line.indexOf('=');
        if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
      }
      return Object.keys(out).length ? out : undefined;
    };
    const problems = this.problems.filter((x) => x.path.startsWith(p));
    return html`<div class="field wide" data-path=${p}>
      <label for=${p}>${labelOf(String(path[path.length - 1]))}</label>
      <textarea
        id=${p}
        name=${p}
        rows="3"
        placeholder="Key=value, one a line"
        .value=${text}
        @change=${(e: Event) => this.emit(path, parse((e.target as HTMLTextAreaElement).value))}
      ></textarea>
      <small>${node.description ?? ''}</small
      >${problems.map((x) => html`<p class="problem ${x.severity}">${x.path.slice(p.length).replace(/^[.[]/, '')}: ${x.message}</p>`)}
    </div>`;
  }

  /** An array of objects (tables, buckets): one card per item, add and remove. */
  private objectList(path: Segment[], node: SchemaNode): TemplateResult {
    const items = (getAt(this.claim, path) as unknown[] | undefined) ?? [];
    const item = node.items!;
    const noun = labelOf(String(path[path.length - 1]))
      .replace(/s$/, '')
      .toLowerCase();
    return html`<div class="list wide" data-path=${formatPath(path)}>
      ${this.messages(formatPath(path))}
      ${items.map(
        (_, i) =>
          html`<div class="card">
            <div class="card-head">
              <strong>${noun} ${i + 1}</strong
              ><button
                type="button"
                class="link danger"
                @click=${() =>
                  this.emit(
                    path,
                    items.filter((__, j) => j !== i),
                  )}
              >
                remove
              </button>
            </div>
            ${this.messages(formatPath([...path, i]))}
            <div class="grid">
              ${Object.entries(item.properties ?? {}).map(([k, child]) => this.field([...path, i, k], child, item.required?.includes(k) ?? false))}
            </div>
          </div>`,
      )}
      <button type="button" class="secondary" @click=${() => this.emit(path, [...items, defaultsOf(item)])}>+ add ${noun}</button>
    </div>`;
  }
}

/** The value of a chosen option: the schema's own value (a number stays a number), nothing for the empty option. */
function choice(node: SchemaNode, raw: string): unknown {
  if (raw === '') return undefined;
  return node.enum?.find((v) => String(v) === raw) ?? raw;
}

customElements.define('dr-claim-form', ClaimForm);
