// Parses every template placeholder and expression with JSONata and checks that it uses only the variables
// allowed where it stands, only known functions, and only config keys the config schema declares.
import jsonata from 'jsonata';
import { RE2JS } from 're2js';
import { EXPRESSION_CONTEXTS, EXPRESSION_VARIABLES } from '../dsl/contexts.ts';
import { DslCode, type Problem } from './problems.ts';
import type { ExpressionSite } from './sites.ts';

/** JSONata's built-in functions (https://docs.jsonata.org, function library). */
const BUILTINS = new Set(
  (
    'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad ' +
    'formatNumber formatBase formatInteger parseInteger number abs floor ceil round power sqrt random millis toMillis ' +
    'fromMillis now boolean not exists keys lookup append reverse shuffle distinct sort zip join split match contains ' +
    'replace spread merge sift each error assert type base64encode base64decode encodeUrlComponent encodeUrl ' +
    'decodeUrlComponent decodeUrl eval single filter map reduce clone'
  ).split(' '),
);

/**
 * Built-ins a definition may not use: $eval evaluates text as an expression, so an API could send one (a
 * `formula` field) and run it with the site's variables.
 */
const FORBIDDEN_FUNCTIONS = new Set(['eval']);

/** Why RE2 (the engine's regex matcher, linear in time) refuses a pattern, or undefined when it accepts it. */
function linearRegexProblem(source: string): string | undefined {
  try {
    RE2JS.compile(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export interface ExpressionFindings {
  problems: Problem[];
  /** Config keys referenced, with where and whether secrets are bound there. */
  configRefs: Array<{ key: string; pointer: string; secretsAllowed: boolean }>;
}

type Node = { type?: string; value?: unknown; position?: number; [key: string]: unknown };

/** Names some context binds as variables: a built-in of the same name ($now) is no excuse where they are not bound. */
const CONTEXT_VARIABLES = new Set<string>(Object.keys(EXPRESSION_VARIABLES));

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;

/** The expressions inside a template's {{ }} placeholders. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => (match[1] ?? '').trim());
}

/**
 * The variables an expression binds itself, anywhere in it: `$x := …`, the parameters of a lambda (callbacks of
 * $map, $filter, $each, $sift, $reduce… too), and along a path the context `items@$o` and the position
 * `items#$i` (on a step, after its filters, or after a sort). A use of such a name is not a variable of the
 * context; outside the binding's scope it finds nothing, as the engine binds no other names than the context's.
 */
function boundNames(node: unknown, names: Set<string>): void {
  if (Array.isArray(node)) {
    for (const item of node) boundNames(item, names);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  if (n.type === 'bind' && (n['lhs'] as Node | undefined)?.type === 'variable') names.add(String((n['lhs'] as Node).value));
  if (n.type === 'lambda' && Array.isArray(n['arguments'])) {
    for (const argument of n['arguments'] as Node[]) if (argument.type === 'variable') names.add(String(argument.value));
  }
  // A step's `@$o` and `#$i`, and `#$i` after a step's filters (a stage of type index).
  if (typeof n['focus'] === 'string') names.add(n['focus']);
  if (typeof n['index'] === 'string') names.add(n['index']);
  if (n.type === 'index' && typeof n.value === 'string') names.add(n.value);
  for (const value of Object.values(n)) if (typeof value === 'object') boundNames(value, names);
}

/** What one expression uses, independent of where it stands. */
interface Analysis {
  parseError?: string;
  variables: Set<string>;
  functions: Set<string>;
  /** Forbidden built-ins called or passed as values. */
  forbidden: Set<string>;
  /** Regex literals the engine's linear-time matcher (RE2) cannot run, with the reason. */
  regexes: Array<{ source: string; reason: string }>;
  configKeys: string[];
}

function visit(node: unknown, bound: ReadonlySet<string>, analysis: Analysis): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, bound, analysis);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  if ((n.type === 'function' || n.type === 'partial') && (n['procedure'] as Node | undefined)?.type === 'variable') {
    const name = String((n['procedure'] as Node).value);
    if (FORBIDDEN_FUNCTIONS.has(name) && !bound.has(name)) analysis.forbidden.add(name);
    if (!BUILTINS.has(name) && !bound.has(name)) analysis.functions.add(name);
    visit(n['arguments'], bound, analysis);
    return;
  }
  // A function given by an expression (`($f)(x)`, `$record.format(x)`): its variables count like any others.
  if ((n.type === 'function' || n.type === 'partial') && typeof n['procedure'] === 'object') visit(n['procedure'], bound, analysis);
  if (n.type === 'regex' && n.value instanceof RegExp) {
    const reason = linearRegexProblem(n.value.source);
    if (reason !== undefined) analysis.regexes.push({ source: String(n.value), reason });
  }
  if (n.type === 'variable') {
    const name = String(n.value);
    if (FORBIDDEN_FUNCTIONS.has(name) && !bound.has(name)) analysis.forbidden.add(name);
    // A built-in function passed as a value ($map(tags, $trim), name ~> $uppercase) is not a variable.
    const builtinValue = BUILTINS.has(name) && !CONTEXT_VARIABLES.has(name);
    // `$` is the context and `$$` the root of the input: JSONata's own, allowed everywhere.
    if (name !== '' && name !== '$' && !bound.has(name) && !builtinValue) analysis.variables.add(name);
  }
  if (n.type === 'path' && Array.isArray(n['steps'])) {
    const [first, second] = n['steps'] as Node[];
    if (first?.type === 'variable' && first.value === 'config' && second?.type === 'name') analysis.configKeys.push(String(second.value));
  }
  for (const [key, value] of Object.entries(n)) if (key !== 'procedure' && typeof value === 'object') visit(value, bound, analysis);
}

// Parsing is the expensive part of validation (JSONata builds an evaluator per expression), and editors and
// assistants validate the same definition again and again: analyses are kept by source, up to a bound.
const MAX_CACHED = 10_000;
const analyses = new Map<string, Analysis>();

function analyse(source: string): Analysis {
  const cached = analyses.get(source);
  if (cached) return cached;
  const analysis: Analysis = { variables: new Set(), functions: new Set(), forbidden: new Set(), regexes: [], configKeys: [] };
  try {
    const ast = jsonata(source).ast();
    const bound = new Set<string>();
    boundNames(ast, bound);
    visit(ast, bound, analysis);
  } catch (error) {
    const { message, position } = error as { message?: string; position?: number };
    analysis.parseError = `${message ?? String(error)}${position === undefined ? '' : ` (at character ${position})`}`;
  }
  if (analyses.size >= MAX_CACHED) analyses.delete(analyses.keys().next().value as string);
  analyses.set(source, analysis);
  return analysis;
}

/** Parses the expressions of one site and checks their variables and functions. */
export function checkSite(site: ExpressionSite, findings: ExpressionFindings): void {
  if (site.form === 'template' && site.source.split('{{').length !== site.source.split('}}').length) {
    findings.problems.push({ code: DslCode.InvalidExpression, severity: 'error', pointer: site.pointer, message: `unbalanced {{ }} in ${JSON.stringify(site.source)}` });
    return;
  }
  const declaration = EXPRESSION_CONTEXTS[site.context];
  const allowed: ReadonlySet<string> = new Set<string>(declaration.variables);
  const sources = site.form === 'template' ? placeholders(site.source) : [site.source];
  for (const source of sources) {
    const analysis = analyse(source);
    if (analysis.parseError !== undefined) {
      findings.problems.push({
        code: DslCode.InvalidExpression,
        severity: 'error',
        pointer: site.pointer,
        message: `cannot parse ${JSON.stringify(source)}: ${analysis.parseError}`,
        hint: 'Expressions are JSONata: https://docs.jsonata.org.',
      });
      continue;
    }
    for (const { source: regex, reason } of analysis.regexes) {
      findings.problems.push({
        code: DslCode.InvalidExpression,
        severity: 'error',
        pointer: site.pointer,
        message: `the regex ${regex} cannot run on the engine's linear-time matcher: ${reason}`,
        hint: 'Regexes run on RE2, which cannot backtrack for minutes on an API value: backreferences (\\1) and lookaheads are not available; match more simply and test the result.',
      });
    }
    for (const name of analysis.forbidden) {
      findings.problems.push({
        code: DslCode.ForbiddenFunction,
        severity: 'error',
        pointer: site.pointer,
        message: `$${name}() is not allowed (in ${JSON.stringify(site.source)}): it evaluates text as an expression, which the API could send`,
        hint: 'Write the expression itself in the definition.',
      });
    }
    for (const name of analysis.functions) {
      if (allowed.has(name)) continue;
      findings.problems.push({
        code: DslCode.UnknownFunction,
        severity: 'error',
        pointer: site.pointer,
        message: `unknown function $${name}() in ${JSON.stringify(site.source)}`,
        hint: 'Use a JSONata built-in function ($string, $number, $lowercase, $fromMillis…) or one bound with :=.',
      });
    }
    for (const name of analysis.variables) {
      if (allowed.has(name)) continue;
      findings.problems.push({
        code: DslCode.ForbiddenVariable,
        severity: 'error',
        pointer: site.pointer,
        message: `$${name} is not available here (${site.context}: ${declaration.description}); allowed: ${[...allowed].map((v) => `$${v}`).join(', ') || 'none'}`,
        hint: 'Each place of a definition sees only some variables: secrets and state never leak into places that cannot use them.',
      });
    }
    for (const key of analysis.configKeys) findings.configRefs.push({ key, pointer: site.pointer, secretsAllowed: declaration.secrets });
  }
}
