// JSONata's published test suite (test/test-suite of a jsonata checkout) through PullPush's expression path, three
// ways: the engine's evaluation against each case's expected outcome; the engine's synchronous (fast or plain path)
// evaluation against JSONata itself on the same input; the definition validator on every expression that needs no
// bindings from outside. Every disagreement is listed with its reason; one the engine does not document fails.
//   npm run conformance:jsonata -- --suite <jsonata checkout>/test/test-suite [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { compileExpression, type ExpressionLimits } from '@pullpush/engine';
import { validateDefinition } from '@pullpush/schema';
import jsonata from 'jsonata';

/** One case of the suite, as its JSON files spell it. */
interface SuiteCase {
  expr?: string;
  'expr-file'?: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  error?: { code?: string };
  timelimit?: number;
  depth?: number;
}

/** Why a disagreement is the engine's documented behaviour and not a fault. */
export type Reason =
  /** `$eval` is refused: it would evaluate text the API sends. */
  | 'eval refused'
  /** The engine's default bounds (250 ms, depth 200) stop it; with the case's own bounds, or wider ones, it agrees. */
  | 'beyond default bounds'
  /** The validator refuses a variable the expression does not bind itself (a typo, to a definition). */
  | 'unbound variable'
  /** The validator refuses a function JSONata does not have; the case expects JSONata's error for it. */
  | 'unknown function';

export interface Disagreement {
  /** `group/file#index`. */
  id: string;
  check: 'engine' | 'sync path' | 'validator';
  expr: string;
  got: string;
  want: string;
  /** Absent: a fault. */
  reason?: Reason;
}

export interface SuiteReport {
  cases: number;
  /** Cases whose expression JSONata compiles (the others expect a compile error, checked by the engine too). */
  compiled: number;
  engineAgreed: number;
  /** Cases the synchronous path answered (the rest it handed to JSONata), and how many of those agreed. */
  syncAnswered: number;
  syncAgreed: number;
  validated: number;
  validatorAccepted: number;
  disagreements: Disagreement[];
  faults: number;
}

/** Outcome of one evaluation, comparable across evaluators: a JSON value, undefined, or an error code. */
type Outcome = { value: unknown } | { code: string };

/** JSON's view of a value: JSONata's sequences are plain arrays, functions show as a marker. */
function json(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'function' ? '<function>' : item)) ?? 'null');
}

function shown(outcome: Outcome): string {
  if ('code' in outcome) return `error ${outcome.code}`;
  return outcome.value === undefined ? 'undefined' : (JSON.stringify(json(outcome.value))?.slice(0, 160) ?? 'undefined');
}

function codeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return String(cause?.code ?? (error as { code?: unknown }).code ?? (error as Error).message);
}

async function outcomeOf(run: () => unknown): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (error) {
    return { code: codeOf(error) };
  }
}

/** The suite's expected outcome; its harness reports its own time box as U1001, JSONata's guardrails as D1011/D1012. */
function expected(testCase: SuiteCase): Outcome | undefined {
  if ('undefinedResult' in testCase) return { value: undefined };
  if ('result' in testCase) return { value: testCase.result };
  const code = testCase.code ?? testCase.error?.code;
  return code === undefined ? undefined : { code };
}

function agrees(got: Outcome, want: Outcome): boolean {
  if ('code' in want) return 'code' in got && (got.code === want.code || (want.code === 'U1001' && (got.code === 'D1011' || got.code === 'D1012')));
  return 'value' in got && isDeepStrictEqual(json(got.value), json(want.value));
}

/** A definition whose one custom mapping field is `expr`: how the validator sees an expression in a mapping. */
function definitionWith(expr: string): unknown {
  return {
    dsl: 'pullpush/v1',
    id: 'jsonata-suite',
    name: 'JSONata suite',
    version: '1.0.0',
    http: { baseUrl: 'https://api.example.com' },
    auth: { kind: 'none' },
    streams: {
      items: {
        canonical: 'commerce.customer@1',
        request: { path: '/items' },
        primaryKey: ['id'],
        mapping: { fields: { createdAt: { path: 'created_at' }, updatedAt: { path: 'updated_at' }, state: { expr: "{ 'value': 'enabled', 'native': state }" } }, custom: { suite: { expr } } },
      },
    },
    check: { stream: 'items' },
  };
}

/** Whether the expression binds `$name` itself: an assignment, a lambda's parameter, or a path's `@`/`#` binding. */
function bindsItself(expr: string, name: string): boolean {
  const variable = `\\$${name}(?![A-Za-z0-9_])`;
  return new RegExp(`${variable}\\s*:=|[@#]\\s*${variable}|function\\s*\\([^)]*${variable}|λ\\s*\\([^)]*${variable}`).test(expr);
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export async function checkJsonataSuite(suite: string): Promise<SuiteReport> {
  const datasets = new Map<string, unknown>();
  for (const name of readdirSync(join(suite, 'datasets'))) datasets.set(name.replace(/\.json$/, ''), readJson(join(suite, 'datasets', name)));
  const report: SuiteReport = { cases: 0, compiled: 0, engineAgreed: 0, syncAnswered: 0, syncAgreed: 0, validated: 0, validatorAccepted: 0, disagreements: [], faults: 0 };
  const groups = readdirSync(join(suite, 'groups'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  for (const group of groups) {
    const folder = join(suite, 'groups', group);
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.json')).sort()) {
      const spec = readJson(join(folder, file)) as SuiteCase | SuiteCase[];
      const cases = Array.isArray(spec) ? spec : [spec];
      for (const [index, testCase] of cases.entries()) {
        const expr = testCase['expr-file'] ? readFileSync(join(folder, testCase['expr-file']), 'utf8') : (testCase.expr ?? '');
        await checkCase(report, `${group}/${file}${cases.length > 1 ? `#${index}` : ''}`, expr, testCase, datasets);
      }
    }
  }
  report.faults = report.disagreements.filter((disagreement) => disagreement.reason === undefined).length;
  return report;
}

async function checkCase(report: SuiteReport, id: string, expr: string, testCase: SuiteCase, datasets: ReadonlyMap<string, unknown>): Promise<void> {
  report.cases += 1;
  const want = expected(testCase);
  if (!want) return;
  // Each evaluation gets its own copy: an expression may not change the input, but a fault might.
  const input = () => structuredClone('data' in testCase ? testCase.data : testCase.dataset ? datasets.get(testCase.dataset) : undefined);
  const bindings = testCase.bindings ?? {};
  const note = (check: Disagreement['check'], got: Outcome, wanted: Outcome, reason?: Reason) =>
    report.disagreements.push({ id, check, expr: expr.replaceAll(/\s+/g, ' ').trim(), got: shown(got), want: shown(wanted), ...(reason ? { reason } : {}) });

  // 1. The engine, with its default bounds, against the suite.
  const evaluate = (limits: ExpressionLimits) => outcomeOf(() => compileExpression(expr, id, limits).evaluate(input(), bindings));
  const got = await evaluate({});
  if (agrees(got, want)) report.engineAgreed += 1;
  else if ('code' in got && /\$eval/.test(expr) && got.code === 'ENGINE_EXPRESSION') note('engine', got, want, 'eval refused');
  else if ('code' in got && (got.code === 'D1011' || got.code === 'D1012') && agrees(await evaluate({ timeoutMs: Math.max(testCase.timelimit ?? 0, 10_000), maxDepth: Math.max(testCase.depth ?? 0, 1_000) }), want)) note('engine', got, want, 'beyond default bounds');
  else note('engine', got, want);

  let compiled: ReturnType<typeof compileExpression>;
  try {
    compiled = compileExpression(expr, id);
  } catch {
    return;
  }
  report.compiled += 1;

  // 2. The synchronous path (plain paths, generated code) against JSONata itself, where it answers.
  if (compiled.evaluateSync) {
    const fast = await outcomeOf(() => (compiled.evaluateSync as NonNullable<typeof compiled.evaluateSync>)(input(), bindings));
    if (!('value' in fast && typeof fast.value === 'symbol')) {
      report.syncAnswered += 1;
      const reference = await outcomeOf(() => jsonata(expr).evaluate(input(), bindings));
      if (agrees(fast, reference)) report.syncAgreed += 1;
      else note('sync path', fast, reference);
    }
  }

  // 3. The validator, on an expression that needs no bindings from outside.
  if (Object.keys(bindings).length > 0) return;
  report.validated += 1;
  const problems = validateDefinition(definitionWith(expr)).errors.filter((problem) => problem.pointer.startsWith('/streams/items/mapping/custom/suite'));
  if (problems.length === 0) {
    report.validatorAccepted += 1;
    return;
  }
  for (const problem of problems) {
    const refusal = { code: `${problem.code}: ${problem.message.slice(0, 120)}` };
    const variable = /^\$([A-Za-z0-9_]+) is not available here/.exec(problem.message)?.[1];
    const fn = /^unknown function \$([A-Za-z0-9_]+)\(\)/.exec(problem.message)?.[1];
    if (problem.code === 'DSL_FORBIDDEN_FUNCTION' && /\$eval/.test(expr)) note('validator', refusal, want, 'eval refused');
    else if (problem.code === 'DSL_FORBIDDEN_VARIABLE' && variable !== undefined && !bindsItself(expr, variable)) note('validator', refusal, want, 'unbound variable');
    else if (problem.code === 'DSL_UNKNOWN_FUNCTION' && fn !== undefined && 'code' in want) note('validator', refusal, want, 'unknown function');
    else note('validator', refusal, want);
  }
}

function printed(report: SuiteReport): string {
  const lines = [
    `${report.cases} cases, ${report.compiled} compile`,
    `  engine agrees with the suite on ${report.engineAgreed}`,
    `  synchronous path answered ${report.syncAnswered}, agreeing with JSONata on ${report.syncAgreed}`,
    `  validator accepts ${report.validatorAccepted} of ${report.validated} expressions without outside bindings`,
  ];
  const byReason = new Map<string, Disagreement[]>();
  for (const disagreement of report.disagreements) {
    const key = `${disagreement.check}: ${disagreement.reason ?? 'FAULT'}`;
    byReason.set(key, [...(byReason.get(key) ?? []), disagreement]);
  }
  for (const [key, list] of byReason) {
    lines.push(`${key} (${list.length})`);
    for (const item of list) lines.push(`  ${item.id}: ${item.expr.slice(0, 100)}`, `      got ${item.got}`, `      want ${item.want}`);
  }
  lines.push(report.faults === 0 ? 'no faults' : `${report.faults} faults`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { suite: { type: 'string' }, json: { type: 'boolean' } } });
  if (!values.suite) {
    console.error('Give the suite folder: npm run conformance:jsonata -- --suite <jsonata checkout>/test/test-suite');
    process.exit(2);
  }
  const report = await checkJsonataSuite(values.suite);
  console.log(values.json ? JSON.stringify(report, null, 2) : printed(report));
  process.exitCode = report.faults === 0 ? 0 : 1;
}
