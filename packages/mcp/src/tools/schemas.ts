// Schema pieces the tools share.
import Type, { type Static } from 'typebox';

export const Problem = Type.Object({
  code: Type.String(),
  severity: Type.Enum(['error', 'warning']),
  pointer: Type.String({ description: 'JSON pointer into the document.' }),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
  suggestion: Type.Optional(Type.String({ description: 'The likely intended key or value.' })),
});

export const Issue = Type.Object({ pointer: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()) });

export const DefinitionId = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'Definition id in the workspace (the definition\'s own id).' });
export const ConnectionName = Type.String({ pattern: '^[a-z][a-z0-9_-]*$', maxLength: 64, description: 'Connection name in the workspace.' });
export const Revision = Type.Integer({ minimum: 1, description: 'Workspace revision of the definition (default the latest).' });
export const JsonObject = Type.Record(Type.String(), Type.Unknown());
export type ProblemOut = Static<typeof Problem>;

/** The object without its undefined properties: what JSON would carry, typed as the tool's output. */
export function compact<T>(value: object): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}
