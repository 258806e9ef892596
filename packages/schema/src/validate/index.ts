// validateDefinition and validateFlow: structural (JSON Schema) and semantic problems, all at once.
import type { CanonicalRegistry } from '@pullpush/canonical';
import { flowProblems } from './flow.ts';
import { DslCode, type Problem, type ValidationResult } from './problems.ts';
import { depthProblem } from './depth.ts';
import { definitionProblems } from './semantic.ts';
import { isObject } from './sites.ts';
import { dslValidators, structuralProblems } from './structural.ts';

export interface ValidateOptions {
  /** Canonical types to check against (default: @pullpush/canonical's default registry). */
  registry?: CanonicalRegistry;
  /**
   * The embedding application allows plain http (local and test APIs): an http base URL is then a warning
   * (DSL_INSECURE_BASE_URL), not an error. A definition cannot allow it itself.
   */
  allowInsecureHttp?: boolean;
}

export interface ValidateFlowOptions extends ValidateOptions {
  /** Connector definitions by id, to check the streams and writes a flow names. */
  definitions?: Readonly<Record<string, unknown>>;
}

function result(problems: Problem[]): ValidationResult {
  const errors = problems.filter((problem) => problem.severity === 'error');
  const warnings = problems.filter((problem) => problem.severity === 'warning');
  return { ok: errors.length === 0, errors, warnings };
}

function notADocument(kind: string): ValidationResult {
  return result([{ code: DslCode.NotADocument, severity: 'error', pointer: '', message: `a ${kind} must be a JSON object`, hint: 'Parse the file as JSON first; the document is an object at the top level.' }]);
}

/** Validates a connector definition: every structural and semantic problem, with pointers and hints. */
export function validateDefinition(doc: unknown, options: ValidateOptions = {}): ValidationResult {
  if (!isObject(doc)) return notADocument('connector definition');
  const deep = depthProblem(doc);
  if (deep) return result([deep]);
  const validate = dslValidators().definition;
  const structural = validate(doc) ? [] : structuralProblems(validate.errors);
  return result([...structural, ...definitionProblems(doc, options)]);
}

/** Validates a flow; with `definitions`, also that its streams and destination writes exist. */
export function validateFlow(doc: unknown, options: ValidateFlowOptions = {}): ValidationResult {
  if (!isObject(doc)) return notADocument('flow');
  const deep = depthProblem(doc);
  if (deep) return result([deep]);
  const validate = dslValidators().flow;
  const structural = validate(doc) ? [] : structuralProblems(validate.errors);
  return result([...structural, ...flowProblems(doc, options)]);
}
