// Nesting bounds: documents come from files, editors, assistants and registries, and a walker that recurses (Ajv,
// the site walkers, a JSON parser with positions, the engine rendering a body) overflows the call stack on a
// document nested a hundred thousand levels deep. Both checks are iterative and run before anything recursive.
import { DslCode, pointerOf, type Problem } from './problems.ts';

/** Deeper than any definition needs (request bodies, config schemas), far below what a recursive walk survives. */
export const MAX_DOCUMENT_DEPTH = 64;

function tooDeepProblem(pointer: string, where: string): Problem {
  return {
    code: DslCode.TooDeep,
    severity: 'error',
    pointer,
    message: `the document is nested more than ${MAX_DOCUMENT_DEPTH} levels deep${where}`,
    hint: 'Definitions and flows are shallow; flatten the value (a request body, a config schema) or move it out of the document.',
  };
}

/** A problem at the first value nested deeper than the bound (cycles included), or undefined. */
export function depthProblem(doc: unknown): Problem | undefined {
  const stack: Array<{ value: unknown; path: string[] }> = [{ value: doc, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_DOCUMENT_DEPTH) return tooDeepProblem(pointerOf(...path), '');
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

/** The same bound on JSON text, before it is parsed: where the nesting first goes too deep. */
export function textDepthProblem(text: string): Problem | undefined {
  let depth = 0;
  let inString = false;
  let line = 0;
  let lineStart = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (char === 0x0a) {
      line += 1;
      lineStart = index + 1;
    }
    if (inString) {
      if (char === 0x5c) index += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > MAX_DOCUMENT_DEPTH) return tooDeepProblem('', ` (line ${line + 1}, column ${index - lineStart + 1})`);
    } else if (char === 0x7d || char === 0x5d) depth -= 1;
  }
  return undefined;
}
