// Definitions arrive as text from files, editors and assistants. JSON.parse silently keeps the last of two equal
// keys — two streams of the same name would lose one — so text is parsed with a visitor that reports duplicate
// keys and syntax errors with their line and column.
import jsonc from 'jsonc-parser';
import { textDepthProblem } from './depth.ts';
import { DslCode, pointerOf, type Problem, type ValidationResult } from './problems.ts';
import { validateDefinition, validateFlow, type ValidateFlowOptions, type ValidateOptions } from './index.ts';

export interface ParsedDocument {
  /** The parsed value; undefined when the text is not JSON. */
  value: unknown;
  problems: Problem[];
}

export function parseDocumentText(text: string): ParsedDocument {
  // The parser below recurses: a text nested too deep is refused before it.
  const deep = textDepthProblem(text);
  if (deep) return { value: undefined, problems: [deep] };
  const problems: Problem[] = [];
  const keysPerObject: Array<Set<string>> = [];
  jsonc.visit(
    text,
    {
      onObjectBegin: () => void keysPerObject.push(new Set()),
      onObjectEnd: () => void keysPerObject.pop(),
      onObjectProperty: (property, _offset, _length, line, character, pathSupplier) => {
        const keys = keysPerObject.at(-1);
        if (!keys) return;
        if (keys.has(property)) {
          problems.push({
            code: DslCode.DuplicateKey,
            severity: 'error',
            pointer: pointerOf(...pathSupplier(), property),
            message: `duplicate key "${property}" (line ${line + 1}, column ${character + 1}): the earlier one would be silently lost`,
            hint: 'Keys of an object must be unique; stream names are keys of "streams".',
          });
        }
        keys.add(property);
      },
      onError: (error, _offset, _length, line, character) => {
        problems.push({
          code: DslCode.InvalidJson,
          severity: 'error',
          pointer: '',
          message: `not valid JSON: ${jsonc.printParseErrorCode(error)} at line ${line + 1}, column ${character + 1}`,
          hint: 'Definitions are plain JSON: no comments, no trailing commas.',
        });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  if (problems.some((problem) => problem.code === DslCode.InvalidJson)) return { value: undefined, problems };
  return { value: JSON.parse(text) as unknown, problems };
}

function merge(parsed: ParsedDocument, validate: (doc: unknown) => ValidationResult): ValidationResult {
  if (parsed.value === undefined) return { ok: false, errors: parsed.problems, warnings: [] };
  const result = validate(parsed.value);
  const errors = [...parsed.problems, ...result.errors];
  return { ok: errors.length === 0, errors, warnings: result.warnings };
}

/** validateDefinition for JSON text: also reports syntax errors and duplicate keys. */
export function validateDefinitionText(text: string, options?: ValidateOptions): ValidationResult {
  return merge(parseDocumentText(text), (doc) => validateDefinition(doc, options));
}

/** validateFlow for JSON text: also reports syntax errors and duplicate keys. */
export function validateFlowText(text: string, options?: ValidateFlowOptions): ValidationResult {
  return merge(parseDocumentText(text), (doc) => validateFlow(doc, options));
}
