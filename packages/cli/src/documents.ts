// Reading JSON documents: definition and flow files are checked for syntax errors and duplicate keys first.
import { readFileSync } from 'node:fs';
import { parseDocumentText, type Flow } from '@pullpush/schema';
import { CliError, CliErrorCode, UsageError } from './errors.ts';

/** A file's text; a missing or unreadable file is a CLI_FILE error naming it. */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(CliErrorCode.File, `Cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? (error as Error).message)}.`, {
      hint: `Check the path of the ${what}.`,
    });
  }
}

/**
 * A connector definition (or flow) from a JSON file. Syntax errors and duplicate keys — which JSON.parse would
 * silently resolve by keeping the last one — are errors here, with their line and column.
 */
export function loadJsonDocument(path: string, what = 'connector definition'): unknown {
  const parsed = parseDocumentText(readTextFile(path, what));
  const problems = parsed.problems.filter((problem) => problem.severity === 'error');
  if (parsed.value === undefined || problems.length > 0) {
    throw new CliError(CliErrorCode.InvalidJson, `The ${what} ${path} is not a valid JSON document.`, {
      hint: `Run \`pullpush validate ${path}\` to see every problem.`,
      issues: problems.map((problem) => ({ pointer: problem.pointer, message: problem.message, rule: problem.code })),
    });
  }
  return parsed.value;
}

/** A flow document and the definitions given for it (`--definition`), by id, with the file each came from. */
export interface FlowDocuments {
  flow: Flow;
  definitions: Map<string, { definition: unknown; path: string }>;
  /** The definition of a connector the flow names; a usage error naming the flag when none was given. */
  definitionOf(connector: string | undefined): unknown;
}

export function loadFlowDocuments(file: string, definitionPaths: readonly string[]): FlowDocuments {
  const flow = loadJsonDocument(file, 'flow') as Flow;
  const definitions = new Map<string, { definition: unknown; path: string }>();
  for (const path of definitionPaths) {
    const definition = loadJsonDocument(path);
    definitions.set(String((definition as { id?: unknown } | null)?.id), { definition, path });
  }
  return {
    flow,
    definitions,
    definitionOf(connector) {
      const found = definitions.get(String(connector));
      if (!found) throw new UsageError(`The flow names connector ${connector}, and no --definition has that id.`, `Pass its definition: --definition <file> (the ids given: ${[...definitions.keys()].join(', ')}).`);
      return found.definition;
    },
  };
}
