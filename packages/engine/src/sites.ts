// Every template and expression of a definition, compiled once and handed to the component that evaluates it. The
// schema's walk (definitionSites) says where each one stands and in which context; a component claims a site by
// its pointer and the context it will bind, and a claim in another context than the schema declares is an
// internal error, raised at compile time. Bindings are typed from the schema's context table, so the engine binds
// exactly the variables the validator allowed.
import { PullPushError } from '@pullpush/canonical';
import { definitionSites, type ContextVariables, type ExpressionContext, type ExpressionSite } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';
import { compileExpression, compileTemplate, compileTemplateTree, type CompiledExpression, type CompiledTemplate, type ExpressionOptions } from './expr/compile.ts';

/** The variables of a context, each bound (to null where there is nothing to bind). */
export type Bindings<C extends ExpressionContext> = { readonly [K in ContextVariables<C>]: unknown };

export interface SiteExpression<C extends ExpressionContext> {
  readonly source: string;
  readonly pointer: string;
  evaluate(input: unknown, bindings: Bindings<C>): Promise<unknown>;
  /** Present when the expression runs without JSONata for some inputs; NOT_SYNC when this input needs it. */
  evaluateSync?(input: unknown, bindings: Bindings<C>): unknown;
}

export interface SiteTemplate<C extends ExpressionContext> {
  readonly source: string;
  readonly constant: boolean;
  render(bindings: Bindings<C>, input?: unknown): Promise<unknown>;
}

/** What a connector did with the sites of its definition: for the test that engine and schema agree. */
export interface SiteReport {
  claimed: Array<{ pointer: string; context: ExpressionContext }>;
  unclaimed: ExpressionSite[];
}

/** The site table each connector was compiled with: for tests, not part of the public interface. */
const tables = new WeakMap<object, SiteTable>();

export function recordSites(connector: object, table: SiteTable): void {
  tables.set(connector, table);
}

export function siteReportOf(connector: object): SiteReport | undefined {
  return tables.get(connector)?.report();
}

function unescape(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function valueAt(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const segment of pointer.split('/').slice(1)) {
    if (typeof node !== 'object' || node === null) return undefined;
    const key = unescape(segment);
    node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

function internal(message: string): PullPushError {
  return new PullPushError(EngineErrorCode.Internal, message, { hint: 'This is a bug in @pullpush/engine: the schema and the engine disagree about an expression site.' });
}

export class SiteTable {
  readonly #definition: unknown;
  readonly #options: ExpressionOptions;
  readonly #sites = new Map<string, ExpressionSite>();
  readonly #claimed = new Map<string, ExpressionContext>();

  constructor(definition: unknown, options: ExpressionOptions) {
    this.#definition = definition;
    this.#options = options;
    for (const site of definitionSites(definition)) this.#sites.set(site.pointer, site);
  }

  #claim(pointer: string, context: ExpressionContext): ExpressionSite | undefined {
    const site = this.#sites.get(pointer);
    if (site && site.context !== context) throw internal(`${pointer} is declared in context "${site.context}" but evaluated in "${context}".`);
    this.#claimed.set(pointer, context);
    return site;
  }

  /** The expression at `pointer`, evaluated with the variables of `context`. */
  expression<C extends ExpressionContext>(pointer: string, context: C): SiteExpression<C> {
    const site = this.#claim(pointer, context);
    if (!site || site.form !== 'expression') throw internal(`${pointer} is not an expression site of the definition.`);
    const compiled: CompiledExpression = compileExpression(site.source, pointer, this.#options);
    return { ...compiled, pointer, evaluate: compiled.evaluate } as SiteExpression<C>;
  }

  /** The expression at `pointer`, or undefined when the definition has none there. */
  optionalExpression<C extends ExpressionContext>(pointer: string, context: C): SiteExpression<C> | undefined {
    return valueAt(this.#definition, pointer) === undefined ? undefined : this.expression(pointer, context);
  }

  /** The template at `pointer` (text without placeholders is a constant); `encode` is applied to placeholder values. */
  template<C extends ExpressionContext>(pointer: string, context: C, encode?: (text: string) => string): SiteTemplate<C> {
    this.#claim(pointer, context);
    const value = valueAt(this.#definition, pointer);
    if (typeof value !== 'string') throw internal(`${pointer} is not a template of the definition.`);
    return compileTemplate(value, pointer, this.#options, encode) as CompiledTemplate as SiteTemplate<C>;
  }

  optionalTemplate<C extends ExpressionContext>(pointer: string, context: C): SiteTemplate<C> | undefined {
    return valueAt(this.#definition, pointer) === undefined ? undefined : this.template(pointer, context);
  }

  /** Every template of a JSON value (a request body, a header map), rendered into the same shape. */
  templates<C extends ExpressionContext>(pointer: string, context: C): ((bindings: Bindings<C>) => Promise<unknown>) | undefined {
    const value = valueAt(this.#definition, pointer);
    if (value === undefined) return undefined;
    for (const site of this.#sites.values()) if (site.pointer === pointer || site.pointer.startsWith(`${pointer}/`)) this.#claim(site.pointer, context);
    this.#claimed.set(pointer, context);
    return compileTemplateTree(value, pointer, this.#options);
  }

  report(): SiteReport {
    return {
      claimed: [...this.#claimed].map(([pointer, context]) => ({ pointer, context })),
      unclaimed: [...this.#sites.values()].filter((site) => !this.#claimed.has(site.pointer)),
    };
  }
}
