/**
 * What provider-upjet-aws v2.6.0 does with a managed resource, read as text from its own Go source
 * (../shared/provider-upjet-aws-source, or `$DRPLANE_PROVIDER_SOURCE`; never copied into the repo):
 * - `apis/cluster/<group>/<version>/zz_<kind>_terraformed.go`: kind → Terraform resource type;
 * - `config/externalname.go`, `config/externalnamenottested.go`: Terraform type → how the
 *   `crossplane.io/external-name` annotation becomes the AWS identifier;
 * - `apis/cluster/<group>/<version>/zz_generated.resolvers.go`: for every `*Ref`/`*Selector`, the
 *   kind it selects and the value of that kind it copies into the field.
 * Every lookup throws when the source has no answer: a check built on it cannot pass by finding nothing.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './paths.js';

/** Folder of the provider's source files. */
export function providerSourceDir(): string {
  const dir = resolve(process.env.DRPLANE_PROVIDER_SOURCE ?? join(repoRoot, '..', 'shared', 'provider-upjet-aws-source'));
  if (!existsSync(join(dir, 'config', 'externalname.go'))) {
    throw new Error(`${dir} holds no config/externalname.go: put ../shared beside the checkout or set DRPLANE_PROVIDER_SOURCE`);
  }
  return dir;
}

/** How the provider turns a kind's external-name annotation into the AWS identifier. */
export interface ExternalNameRule {
  /** The Terraform resource type. */
  readonly tfType: string;
  /** The Go expression in the external-name table, as written. */
  readonly expression: string;
  /** `provider`: AWS assigns the id, the annotation stays unset; `name`: the annotation is the name. */
  readonly identifier: 'provider' | 'name';
  /** The Terraform argument the annotation fills (`name`, `function_name`, …), for `name`. */
  readonly nameParameter?: string;
  /** Prefixes the provider strips from the id it observes: an annotation with one is rewritten forever. */
  readonly strippedPrefixes: readonly string[];
  /** Text the provider splits the observed id on, keeping one part: an annotation holding it is rewritten. */
  readonly splitOn: readonly string[];
  /** For templated ids, the template: the annotation is the bare `{{ .external_name }}`, never the id. */
  readonly template?: string;
  /** Terraform arguments the provider's id function refuses to work without ("x cannot be empty"). */
  readonly requiredParameters: readonly string[];
}

/** A reference of a kind: the field it fills, the kind it selects and what it copies. */
export interface ResolverRule {
  /** `forProvider` or `initProvider`. */
  readonly section: 'forProvider' | 'initProvider';
  /** The field below the section, Go names lower-cased, list indexes dropped (`replica.kmskeyarn`). */
  readonly path: string;
  /** The field the resolved value goes to, normalized like `path` (`vpcsecuritygroupids` for `vpcsecuritygroupid`). */
  readonly valuePath: string;
  /** The selected kind as `<group>/<version>/<Kind>`. */
  readonly target: string;
  /** The Go `Extract:` expression, as written. */
  readonly extract: string;
  /** What the extractor copies: `external-name`, `arn`, `id` (Terraform id) or a status field's name. */
  readonly copies: string;
  /** True for a list field (`ResolveMultiple`). */
  readonly multiple: boolean;
}

/** Lower-cases and drops underscores, so Go (`KMSKeyID`), JSON (`kmsKeyId`) and Terraform (`kms_key_id`) names compare. */
export const normalize = (name: string): string => name.replace(/_/g, '').toLowerCase();

/** Go source with comments and the contents of string literals blanked (same length), for counting brackets. */
function blankStringsAndComments(text: string): string {
  return text
    .replace(/"(?:[^"\\\n]|\\.)*"/g, (s) => `"${' '.repeat(s.length - 2)}"`)
    .replace(/`[^`]*`/g, (s) => `\`${' '.repeat(s.length - 2)}\``)
    .replace(/\/\/[^\n]*/g, (s) => ' '.repeat(s.length));
}

/** The text from `open` (index of an opening bracket) to its matching closing bracket, inclusive. */
function balanced(text: string, open: number): string {
  const blank = blankStringsAndComments(text);
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < blank.length; i++) {
    const c = blank[i]!;
    if (c in pairs) stack.push(pairs[c]!);
    else if (c === ')' || c === '}' || c === ']') {
      if (stack.pop() !== c) throw new Error(`unbalanced ${c} at ${i}`);
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  throw new Error(`no closing bracket for the one at ${open}`);
}

/** The entries of `var <name> = map[string]config.ExternalName{…}`: Terraform type → Go expression. */
function mapEntries(source: string, name: string): Map<string, string> {
  const start = source.search(new RegExp(`var ${name} = map\\[string\\]config\\.ExternalName\\{`));
  if (start < 0) throw new Error(`external-name table ${name} not found`);
  const body = balanced(source, source.indexOf('{', start));
  const blank = blankStringsAndComments(body);
  const entries = new Map<string, string>();
  const key = /^[ \t]*"(aws_[a-z0-9_]+)":[ \t]*/gm;
  // Keys are matched in the source (a commented-out entry starts with //), brackets counted in the blanked copy.
  for (let m = key.exec(body); m; m = key.exec(body)) {
    const tfType = m[1]!;
    let i = m.index + m[0].length;
    const from = i;
    let depth = 0;
    for (; i < blank.length; i++) {
      const c = blank[i]!;
      if ('({['.includes(c)) depth++;
      else if (')}]'.includes(c)) depth--;
      else if (c === ',' && depth === 0) break;
    }
    entries.set(tfType, body.slice(from, i).trim());
  }
  return entries;
}

/** A top-level `func name(params) config.ExternalName {…}` of the source: its parameter names and body. */
function functionOf(sources: readonly string[], name: string): { params: string[]; body: string } | undefined {
  for (const source of sources) {
    const m = new RegExp(`^func ${name}\\(([^)]*)\\) config\\.ExternalName \\{`, 'm').exec(source);
    if (!m) continue;
    const params = m[1]!
      .split(',')
      .map((p) =>
        p
          .trim()
          .split(/\s+/)[0]!
          .replace(/\.\.\.$/, ''),
      )
      .filter(Boolean);
    return { params, body: balanced(source, m.index + m[0].length - 1) };
  }
  return undefined;
}

/** Go call arguments as written (split at top-level commas). */
function callArguments(args: string): string[] {
  const blank = blankStringsAndComments(args);
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < blank.length; i++) {
    const c = blank[i]!;
    if ('({['.includes(c)) depth++;
    else if (')}]'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(from, i).trim());
      from = i + 1;
    }
  }
  if (args.slice(from).trim()) out.push(args.slice(from).trim());
  return out;
}

const goString = (expr: string | undefined): string | undefined => /^"((?:[^"\\]|\\.)*)"$/.exec(expr?.trim() ?? '')?.[1];

/** Reads a Go external-name expression (a config constant, a config call or one of the file's functions). */
function classify(
  expression: string,
  sources: readonly string[],
  tfType: string,
  depth = 0,
): Omit<ExternalNameRule, 'tfType' | 'expression'> {
  if (depth > 5) throw new Error(`${tfType}: external-name functions nest too deep: ${expression}`);
  const expr = expression.trim();
  if (expr === 'config.IdentifierFromProvider')
    return { identifier: 'provider', strippedPrefixes: [], splitOn: [], requiredParameters: [] };
  if (expr === 'config.NameAsIdentifier')
    return { identifier: 'name', nameParameter: 'name', strippedPrefixes: [], splitOn: [], requiredParameters: [] };
  const call = /^([\w.]+)\(([\s\S]*)\)$/.exec(expr);
  if (!call) throw new Error(`${tfType}: external-name expression not understood: ${expr}`);
  const [, fn, rawArgs] = call;
  const args = callArguments(rawArgs!);
  if (fn === 'config.ParameterAsIdentifier') {
    const param = goString(args[0]);
    if (param === undefined) throw new Error(`${tfType}: ParameterAsIdentifier without a string argument: ${expr}`);
    return { identifier: 'name', nameParameter: param, strippedPrefixes: [], splitOn: [], requiredParameters: [] };
  }
  if (fn === 'config.TemplatedStringAsIdentifier') {
    const param = goString(args[0]);
    if (param === undefined) throw new Error(`${tfType}: TemplatedStringAsIdentifier without a string argument: ${expr}`);
    const template = args[1] ?? '';
    return {
      identifier: param === '' ? 'provider' : 'name',
      ...(param === '' ? {} : { nameParameter: param }),
      strippedPrefixes: [],
      splitOn: [],
      template,
      requiredParameters: [],
    };
  }
  // One of the file's functions (`kmsAlias()`, `FormattedIdentifierFromProvider("/", "a", "b")`), or an inline `func() … {…}()`.
  let params: string[] = [];
  let body: string;
  if (fn === 'func') {
    body = expr;
  } else {
    const found = functionOf(sources, fn!);
    if (!found) throw new Error(`${tfType}: external-name function ${fn} not found in the provider source`);
    ({ params, body } = found);
  }
  // A variadic parameter takes every remaining argument.
  const bound = new Map<string, string[]>();
  params.forEach((p, i) => bound.set(p, i === params.length - 1 ? args.slice(i) : args[i] === undefined ? [] : [args[i]!]));
  // `for i, key := range keys`: the loop variable stands for every value of the variadic.
  for (const m of body.matchAll(/for\s+\w+,\s*(\w+)\s*:=\s*range\s+(\w+)/g))
    if (bound.has(m[2]!)) bound.set(m[1]!, bound.get(m[2]!)!);
  const valueOf = (token: string): string[] => (bound.get(token) ?? [token]).map((t) => goString(t) ?? t);
  const base = /\be\s*:?=\s*([\w.]+(?:\([^)]*\))?)\s*\n/.exec(body);
  if (!base) throw new Error(`${tfType}: ${fn} starts from no known external-name configuration`);
  const baseExpr = base[1]!.replace(
    /\(([^)]*)\)$/,
    (_, a: string) =>
      `(${callArguments(a)
        .map((t) => bound.get(t)?.[0] ?? t)
        .join(', ')})`,
  );
  const inner = classify(baseExpr, sources, tfType, depth + 1);
  const strippedPrefixes = [...body.matchAll(/strings\.TrimPrefix\([^,]+,\s*("[^"]*"|\w+)\)/g)].flatMap((m) => valueOf(m[1]!));
  const splitOn = [...body.matchAll(/strings\.Split\([^,]+,\s*("[^"]*"|\w+)\)/g)].flatMap((m) => valueOf(m[1]!));
  // `v, ok := parameters["x"]` then `if !ok { return …, errors… }`, or a loop over a variadic of keys.
  const required = new Set<string>();
  for (const m of body.matchAll(/,\s*ok\s*:=\s*parameters\[("[^"]*"|\w+)\]\s*\n\s*if\s+!ok\s*\{\s*\n\s*return\s+"",\s*errors/g)) {
    for (const v of valueOf(m[1]!)) required.add(v);
  }
  return {
    identifier: inner.identifier,
    ...(inner.nameParameter === undefined ? {} : { nameParameter: inner.nameParameter }),
    strippedPrefixes: [...inner.strippedPrefixes, ...strippedPrefixes],
    splitOn: [...inner.splitOn, ...splitOn],
    ...(inner.template === undefined ? {} : { template: inner.template }),
    requiredParameters: [...new Set([...inner.requiredParameters, ...required])],
  };
}

/** Everything the tests read from the provider's source, parsed once. */
export class ProviderSource {
  /** `<group>/<version>/<Kind>` → Terraform resource type. */
  readonly tfTypes = new Map<string, string>();
  /** Terraform resource type → Go external-name expression, with the provider's precedence applied. */
  readonly externalNameTable = new Map<string, string>();
  /** `<group>/<version>/<Kind>` → its references. */
  readonly resolvers = new Map<string, ResolverRule[]>();
  private readonly configSources: string[];
  private readonly rules = new Map<string, ExternalNameRule>();

  constructor(readonly dir: string = providerSourceDir()) {
    const config = ['externalname.go', 'externalnamenottested.go'].map((f) => readFileSync(join(dir, 'config', f), 'utf8'));
    this.configSources = config;
    // The provider's ResourceConfigurator: Plugin Framework, then Plugin SDK, then CLI; the not-tested table last.
    const tables = [
      mapEntries(config[0]!, 'TerraformPluginFrameworkExternalNameConfigs'),
      mapEntries(config[0]!, 'TerraformPluginSDKExternalNameConfigs'),
      mapEntries(config[0]!, 'CLIReconciledExternalNameConfigs'),
      mapEntries(config[1]!, 'ExternalNameNotTestedConfigs'),
    ];
    for (const table of tables) for (const [k, v] of table) if (!this.externalNameTable.has(k)) this.externalNameTable.set(k, v);
    const apis = join(dir, 'apis', 'cluster');
    for (const group of readdirSync(apis).sort()) {
      for (const version of readdirSync(join(apis, group)).sort()) {
        const folder = join(apis, group, version);
        const apiVersion = `${group}.aws.upbound.io/${version}`;
        for (const file of readdirSync(folder).filter((f) => /^zz_.+_terraformed\.go$/.test(f))) {
          const text = readFileSync(join(folder, file), 'utf8');
          const m = /func \(mg \*(\w+)\) GetTerraformResourceType\(\) string \{\s*return "([^"]+)"/.exec(text);
          if (!m) throw new Error(`${folder}/${file}: no GetTerraformResourceType`);
          this.tfTypes.set(`${apiVersion}/${m[1]}`, m[2]!);
        }
        const resolversFile = join(folder, 'zz_generated.resolvers.go');
        if (existsSync(resolversFile)) this.readResolvers(apiVersion, readFileSync(resolversFile, 'utf8'));
      }
    }
    if (this.tfTypes.size === 0) throw new Error(`${apis}: no zz_*_terraformed.go files`);
  }

  private readResolvers(apiVersion: string, text: string): void {
    const funcs = [...text.matchAll(/^func \(mg \*(\w+)\) ResolveReferences\(/gm)];
    for (const [n, f] of funcs.entries()) {
      const body = text.slice(f.index, funcs[n + 1]?.index ?? text.length);
      const rules: ResolverRule[] = [];
      const request =
        /GetManagedResource\("([^"]+)",\s*"([^"]+)",\s*"([^"]+)",\s*"[^"]+"\)[\s\S]*?r\.(Resolve|ResolveMultiple)\(ctx,\s*reference\.(?:Multi)?ResolutionRequest\{([\s\S]*?)\}\)/g;
      for (const m of body.matchAll(request)) {
        const fields = m[5]!;
        const extract = /Extract:\s*([^\n]+?),\s*\n/.exec(fields)?.[1];
        const selector = /Selector:\s*mg\.Spec\.(ForProvider|InitProvider)\.([\w.[\]]+)Selector,/.exec(fields);
        const value = /CurrentValues?:\s*(?:reference\.\w+\()?mg\.Spec\.(?:ForProvider|InitProvider)\.([\w.[\]]+)\)?,/.exec(
          fields,
        );
        if (!extract || !selector || !value) {
          throw new Error(`${apiVersion}/${f[1]}: a resolution request without Extract, Selector or CurrentValue`);
        }
        const goPath = (p: string) =>
          p
            .split('.')
            .map((x) => normalize(x.replace(/\[\w+\]$/, '')))
            .join('.');
        rules.push({
          section: selector[1] === 'ForProvider' ? 'forProvider' : 'initProvider',
          path: goPath(selector[2]!),
          valuePath: goPath(value[1]!),
          target: `${m[1]}/${m[2]}/${m[3]}`,
          extract,
          copies: copiesOf(extract),
          multiple: m[4] === 'ResolveMultiple',
        });
      }
      if (rules.length === 0) throw new Error(`${apiVersion}/${f[1]}: ResolveReferences resolves nothing the parser recognised`);
      this.resolvers.set(`${apiVersion}/${f[1]}`, rules);
    }
  }

  /** The Terraform type of a kind; throws when the provider has no such kind. */
  tfType(apiVersion: string, kind: string): string {
    const t = this.tfTypes.get(`${apiVersion}/${kind}`);
    if (t === undefined) throw new Error(`${apiVersion} ${kind}: no zz_${kind.toLowerCase()}_terraformed.go in ${this.dir}`);
    return t;
  }

  /**
   * True when the comment above the kind's entry in the external-name tables says it is imported by its ARN ("Imported
   * using ARN …", or an example `arn:aws:…` id): the Terraform id, which becomes the external name when AWS assigns the
   * identifier, is then the ARN, though the CRD leaves status.atProvider.id undescribed (route53recoverycontrolconfig).
   */
  importedAsArn(apiVersion: string, kind: string): boolean {
    const tfType = this.tfType(apiVersion, kind);
    for (const source of this.configSources) {
      const lines = source.split('\n');
      const at = lines.findIndex((l) => new RegExp(`^\\s*"${tfType}":`).test(l));
      if (at < 0) continue;
      const comment: string[] = [];
      for (let i = at - 1; i >= 0 && /^\s*\/\//.test(lines[i]!); i--) comment.unshift(lines[i]!);
      const text = comment.join('\n');
      return /\busing (its |the )?ARN\b/i.test(text) || /^\s*\/\/\s*arn:aws[\w-]*:/m.test(text);
    }
    return false;
  }

  /** The external-name rule of a kind; throws when the provider configures none. */
  externalName(apiVersion: string, kind: string): ExternalNameRule {
    const tfType = this.tfType(apiVersion, kind);
    const cached = this.rules.get(tfType);
    if (cached) return cached;
    const expression = this.externalNameTable.get(tfType);
    if (expression === undefined) throw new Error(`${tfType} (${kind}): not in the provider's external-name tables`);
    const rule = { tfType, expression, ...classify(expression, this.configSources, tfType) };
    this.rules.set(tfType, rule);
    return rule;
  }

  /** The reference of a kind's field (`forProvider`, path of normalized names); throws when the provider has none. */
  resolver(apiVersion: string, kind: string, section: string, path: string): ResolverRule {
    const rules = this.resolvers.get(`${apiVersion}/${kind}`);
    const rule = rules?.find((r) => r.section === section && r.path === path);
    if (!rule) throw new Error(`${apiVersion} ${kind}: the provider resolves no reference for ${section}.${path}`);
    return rule;
  }
}

/** What an `Extract:` expression copies from the selected resource. */
export function copiesOf(extract: string): string {
  const e = extract.trim();
  if (e === 'reference.ExternalName()') return 'external-name';
  if (e === 'common.ARNExtractor()' || e === 'lambda.FunctionInvokeARN()') return 'arn';
  if (e === 'resource.ExtractResourceID()' || e === 'common.TerraformID()') return 'id';
  const param = /^resource\.ExtractParamPath\("([^"]+)",\s*(true|false)\)$/.exec(e);
  if (param) return /(^|_)arn$/.test(param[1]!) ? 'arn' : param[1]!;
  return e;
}
