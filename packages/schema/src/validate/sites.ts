// Finds the templates and expressions of a document by walking it alongside the DSL's JSON Schema: a value whose
// schema carries a site annotation (x-template, x-templates, x-expression; see dsl/contexts.ts) is a site, in the
// context the annotation names. Nothing here lists where expressions stand — the schema says it — so the
// validator, the engine and anything else that walks a definition find the same sites.
import type { TSchema } from 'typebox';
import { isExpressionContext, SITE_ANNOTATIONS, type ExpressionContext } from '../dsl/contexts.ts';
import { ConnectorDefinition } from '../dsl/definition.ts';
import { Flow } from '../dsl/flow.ts';
import { escapePointer } from './problems.ts';

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface ExpressionSite {
  /** JSON pointer of the string in the document. */
  pointer: string;
  /**
   * Where the site is declared in the schema, the same for every document: map keys and array indexes are `*`,
   * a union's chosen branch is named (`/auth{kind=session}/value`).
   */
  pattern: string;
  /** `template`: literal text with {{ }} placeholders; `expression`: JSONata as a whole. */
  form: 'template' | 'expression';
  source: string;
  context: ExpressionContext;
}

/** A site the schema declares, whatever a document holds. */
export interface DeclaredSite {
  pattern: string;
  form: 'template' | 'templates' | 'expression';
  context: ExpressionContext;
}

interface Step {
  schema: Json;
  value: unknown;
  pointer: string;
  pattern: string;
}

const patterns = new Map<string, RegExp>();
function matches(pattern: string, key: string): boolean {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex.test(key);
}

function annotation(schema: Json): { form: DeclaredSite['form']; context: ExpressionContext } | undefined {
  for (const form of ['template', 'templates', 'expression'] as const) {
    const context = schema[SITE_ANNOTATIONS[form]];
    if (isExpressionContext(context)) return { form, context };
  }
  return undefined;
}

function hasPlaceholders(text: string): boolean {
  return text.includes('{{') || text.includes('}}');
}

/** Every string under `value`, with its pointer; an explicit stack, so a deeply nested body cannot overflow the call stack. */
function stringsIn(value: unknown, pointer: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const stack: Array<[unknown, string]> = [[value, pointer]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') out.push([at, item]);
    else if (Array.isArray(item)) for (let index = item.length - 1; index >= 0; index -= 1) stack.push([item[index], `${at}/${index}`]);
    else if (isObject(item)) for (const key of Object.keys(item).reverse()) stack.push([item[key], `${at}/${escapePointer(key)}`]);
  }
  return out;
}

/** The branch of a union a value chose: by its discriminator, else the first branch whose required keys it has. */
function branchOf(schema: Json, value: unknown): { branch: Json; label: string } | undefined {
  const discriminator = schema['discriminator'];
  const variants = schema['oneOf'] ?? schema['anyOf'];
  if (!Array.isArray(variants) || !isObject(value)) return undefined;
  if (isObject(discriminator) && typeof discriminator['propertyName'] === 'string') {
    const tag = discriminator['propertyName'];
    const branch = (variants as Json[]).find((variant) => (variant['properties'] as Record<string, Json> | undefined)?.[tag]?.['const'] === value[tag]);
    return branch ? { branch, label: `{${tag}=${String(value[tag])}}` } : undefined;
  }
  for (const [index, variant] of (variants as Json[]).entries()) {
    const required = Array.isArray(variant['required']) ? (variant['required'] as string[]) : [];
    if (required.every((key) => Object.hasOwn(value, key))) return { branch: variant, label: `{${index}}` };
  }
  return undefined;
}

/** The sites of `doc`, found through `schema`. Reads the document defensively: it may be structurally invalid. */
export function documentSites(schema: TSchema, doc: unknown): ExpressionSite[] {
  const out: ExpressionSite[] = [];
  const stack: Step[] = [{ schema: schema as unknown as Json, value: doc, pointer: '', pattern: '' }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const { schema: node, value, pointer, pattern } = step;
    const site = annotation(node);
    if (site) {
      if (site.form === 'templates') {
        for (const [at, text] of stringsIn(value, pointer)) {
          if (hasPlaceholders(text)) out.push({ pointer: at, pattern, form: 'template', source: text, context: site.context });
        }
      } else if (typeof value === 'string' && (site.form === 'expression' ? value.trim() !== '' : hasPlaceholders(value))) {
        out.push({ pointer, pattern, form: site.form, source: value, context: site.context });
      }
      continue;
    }
    const chosen = branchOf(node, value);
    if (chosen) {
      stack.push({ schema: chosen.branch, value, pointer, pattern: `${pattern}${chosen.label}` });
      continue;
    }
    if (Array.isArray(value) && isObject(node['items'])) {
      for (let index = value.length - 1; index >= 0; index -= 1) stack.push({ schema: node['items'], value: value[index], pointer: `${pointer}/${index}`, pattern: `${pattern}/*` });
      continue;
    }
    if (!isObject(value)) continue;
    const properties = isObject(node['properties']) ? node['properties'] : {};
    const patternProperties = isObject(node['patternProperties']) ? node['patternProperties'] : {};
    for (const key of Object.keys(value).reverse()) {
      const at = `${pointer}/${escapePointer(key)}`;
      const fixed = Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (isObject(fixed)) {
        stack.push({ schema: fixed, value: value[key], pointer: at, pattern: `${pattern}/${escapePointer(key)}` });
        continue;
      }
      const mapped = Object.entries(patternProperties).find(([regex]) => matches(regex, key))?.[1] ?? node['additionalProperties'];
      if (isObject(mapped)) stack.push({ schema: mapped, value: value[key], pointer: at, pattern: `${pattern}/*` });
    }
  }
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}

/** Every site `schema` declares, with the pattern documentSites gives the sites of a document. */
export function declaredSites(schema: TSchema): DeclaredSite[] {
  const out: DeclaredSite[] = [];
  const stack: Array<{ schema: Json; pattern: string }> = [{ schema: schema as unknown as Json, pattern: '' }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const { schema: node, pattern } = step;
    const site = annotation(node);
    if (site) {
      out.push({ pattern, ...site });
      continue;
    }
    const variants = node['oneOf'] ?? node['anyOf'];
    if (Array.isArray(variants)) {
      const discriminator = node['discriminator'];
      const tag = isObject(discriminator) ? String(discriminator['propertyName']) : undefined;
      (variants as Json[]).forEach((variant, index) => {
        const label = tag === undefined ? `{${index}}` : `{${tag}=${String((variant['properties'] as Record<string, Json>)[tag]?.['const'])}}`;
        stack.push({ schema: variant, pattern: `${pattern}${label}` });
      });
      continue;
    }
    if (isObject(node['items'])) stack.push({ schema: node['items'], pattern: `${pattern}/*` });
    if (isObject(node['properties'])) for (const [key, child] of Object.entries(node['properties'])) if (isObject(child)) stack.push({ schema: child, pattern: `${pattern}/${escapePointer(key)}` });
    if (isObject(node['patternProperties'])) for (const child of Object.values(node['patternProperties'])) if (isObject(child)) stack.push({ schema: child, pattern: `${pattern}/*` });
    if (isObject(node['additionalProperties'])) stack.push({ schema: node['additionalProperties'], pattern: `${pattern}/*` });
  }
  return out.sort((a, b) => (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
}

/** The templates and expressions of a connector definition. */
export function definitionSites(doc: unknown): ExpressionSite[] {
  return documentSites(ConnectorDefinition, doc);
}

/** The templates of a flow. */
export function flowSites(doc: unknown): ExpressionSite[] {
  return documentSites(Flow, doc);
}
