// Definition tools: the connector definitions of the workspace, one JSON file per revision. Create (saved even
// with validation errors, so they can be fixed by patch), change with RFC 6902 JSON Patch, list and diff
// revisions, roll back (a new revision: history is never rewritten), export as a file, delete.
import { PullPushError } from '@pullpush/canonical';
import { applyPatch, createPatch, type Operation } from 'rfc6902';
import Type, { type Static } from 'typebox';
import { McpErrorCode } from '../errors.ts';
import type { ServerRuntime } from '../runtime.ts';
import { defineTool, DESTROYS, READ_ONLY, WRITES } from '../tool.ts';
import type { Workspace } from '../workspace/workspace.ts';
import { compact, DefinitionId, JsonObject, Problem, Revision, type ProblemOut, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

const ID_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;

export const PatchOperation = Type.Object(
  {
    op: Type.Enum(['add', 'remove', 'replace', 'move', 'copy', 'test'], { description: 'RFC 6902 operation.' }),
    path: Type.String({ description: 'JSON pointer (RFC 6901) into the definition: /streams/orders/request/path; "~1" escapes "/", "~0" escapes "~".' }),
    value: Type.Optional(Type.Unknown({ description: 'The value (add, replace, test).' })),
    from: Type.Optional(Type.String({ description: 'Source pointer (move, copy).' })),
  },
  { additionalProperties: false },
);
type PatchOp = Static<typeof PatchOperation>;

const Validation = {
  ok: Type.Boolean({ description: 'True when the definition has no validation errors.' }),
  errors: Type.Array(Problem),
  warnings: Type.Array(Problem),
};

const Summary = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.String({ description: "The definition's own semantic version." }),
  revision: Type.Integer({ description: 'Latest workspace revision.' }),
  revisions: Type.Integer({ description: 'How many revisions are kept.' }),
  streams: Type.Array(Type.String()),
  updatedAt: Type.String(),
});

function validation(runtime: ServerRuntime, document: Json): { ok: boolean; errors: ProblemOut[]; warnings: ProblemOut[] } {
  const result = runtime.validateDefinition(document);
  return { ok: result.ok, errors: result.errors.map(compact<ProblemOut>), warnings: result.warnings.map(compact<ProblemOut>) };
}

function sameDocument(a: unknown, b: unknown): boolean {
  return createPatch(a, b).length === 0;
}

const VERBS: Record<string, string> = { add: 'added', remove: 'removed', replace: 'replaced', move: 'moved', copy: 'copied', test: 'tested' };

/** "2 changes: replaced /version, added /streams/items/description" */
export function summarizePatch(patch: readonly Operation[], limit = 10): string {
  if (patch.length === 0) return 'No changes.';
  const parts = patch.slice(0, limit).map((op) => `${VERBS[op.op] ?? op.op} ${op.path || '/'}${'from' in op ? ` (from ${op.from})` : ''}`);
  const more = patch.length > limit ? `, … and ${patch.length - limit} more` : '';
  return `${patch.length} change${patch.length === 1 ? '' : 's'}: ${parts.join(', ')}${more}.`;
}

function patchError(index: number, op: PatchOp, place: 'path' | 'from' | 'value' | 'op', message: string, hint: string): PullPushError {
  return new PullPushError(McpErrorCode.InvalidPatch, `Patch operation ${index} (${op.op} ${op.path}) failed: ${message}. Nothing was saved.`, {
    hint,
    issues: [{ pointer: `/patch/${index}${place === 'op' ? '' : `/${place}`}`, message, rule: op.op }],
  });
}

const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Applies `patch` to a copy of `document`, operation by operation; the first failing one refuses the whole patch. */
export function applyDefinitionPatch(document: Json, patch: readonly PatchOp[]): Json {
  const target = structuredClone(document);
  patch.forEach((op, index) => {
    const needsValue = op.op === 'add' || op.op === 'replace' || op.op === 'test';
    const needsFrom = op.op === 'move' || op.op === 'copy';
    if (needsValue && !Object.hasOwn(op, 'value')) throw patchError(index, op, 'op', `"${op.op}" needs a "value"`, `Write { "op": "${op.op}", "path": "${op.path}", "value": … }.`);
    if (needsFrom && typeof op.from !== 'string') throw patchError(index, op, 'op', `"${op.op}" needs a "from" pointer`, `Write { "op": "${op.op}", "from": "/…", "path": "${op.path}" }.`);
    for (const [place, pointer] of [['path', op.path], ['from', op.from]] as const) {
      if (pointer === undefined) continue;
      if (pointer !== '' && !pointer.startsWith('/')) {
        throw patchError(index, op, place, `${JSON.stringify(pointer)} is not a JSON pointer`, 'Pointers start with "/" and name each key on the way: /streams/orders/pagination.');
      }
      const unsafe = pointer.split('/').find((segment) => UNSAFE_SEGMENTS.has(segment));
      if (unsafe !== undefined) throw patchError(index, op, place, `the key "${unsafe}" cannot be patched`, 'Rename the stream or key: __proto__, constructor and prototype cannot be addressed by a patch.');
    }
    if (op.path === '' && op.op !== 'test') {
      throw patchError(index, op, 'path', 'the whole document cannot be replaced by a patch', 'Patch the keys that change, or delete_definition and create_definition again.');
    }
    const [error] = applyPatch(target, [op as Operation]);
    if (!error) return;
    if (error.name === 'TestError') {
      const { actual, expected } = error as unknown as { actual: unknown; expected: unknown };
      throw patchError(index, op, 'value', `test failed: the value at ${op.path} is ${JSON.stringify(actual) ?? 'missing'}, not ${JSON.stringify(expected)}`, 'The definition changed since it was read: get_definition, then build the patch again.');
    }
    if (error.name === 'MissingError') {
      const missing = (error as unknown as { path: string }).path;
      const place = missing === op.from && op.from !== op.path ? 'from' : 'path';
      throw patchError(
        index,
        op,
        place,
        `nothing at ${missing}${op.op === 'add' ? ' (its parent does not exist)' : ''}`,
        op.op === 'add'
          ? 'Add the parent object first (an earlier "add" with {}), or check the spelling of each key on the way.'
          : 'replace, remove, move and copy need an existing location: add a new key with "add"; check the pointer with get_definition.',
      );
    }
    throw patchError(index, op, 'op', error.message, 'Each operation is { "op", "path" } plus "value" (add, replace, test) or "from" (move, copy).');
  });
  return target;
}

function flowsUsing(workspace: Workspace, id: string): string[] {
  return workspace.listFlows().filter((name) => {
    try {
      const flow = workspace.getFlow(name);
      const source = flow['source'] as Json | undefined;
      const destination = flow['destination'] as Json | undefined;
      return source?.['connector'] === id || destination?.['connector'] === id;
    } catch {
      return false;
    }
  });
}

export const definitionsTools = [
  defineTool({
    name: 'list_definitions',
    title: 'List connector definitions',
    description:
      'Lists the connector definitions stored in the workspace: id, name, the definition\'s own version, the latest workspace revision, how many revisions are kept, its streams and when it last changed. Use it to find a definition id before get_definition, update_definition or test_connector.',
    group: 'definitions',
    input: Type.Object({}, { additionalProperties: false }),
    output: Type.Object({ definitions: Type.Array(Summary) }),
    annotations: READ_ONLY,
    handler: (_args, { workspace }) => ({ definitions: workspace.listDefinitions() }),
  }),
  defineTool({
    name: 'get_definition',
    title: 'Get a connector definition',
    description:
      'Returns a stored connector definition: the JSON document of the latest revision (or of the revision asked for), that revision number, when it was saved and every revision kept. Read it before building a JSON Patch for update_definition: patch pointers refer to this document.',
    group: 'definitions',
    input: Type.Object({ definition: DefinitionId, revision: Type.Optional(Revision) }, { additionalProperties: false }),
    output: Type.Object({ id: Type.String(), revision: Type.Integer(), revisions: Type.Array(Type.Integer()), savedAt: Type.String(), document: JsonObject }),
    annotations: READ_ONLY,
    handler(args, { workspace }) {
      const stored = workspace.getDefinition(args.definition, args.revision);
      return { id: stored.id, revision: stored.revision, revisions: workspace.revisions(args.definition), savedAt: stored.savedAt, document: stored.document };
    },
  }),
  defineTool({
    name: 'create_definition',
    title: 'Create a connector definition',
    description:
      'Stores a new connector definition (a DSL v1 JSON document with a slug "id") as revision 1 of that id. The document is validated: it is saved even when it has errors, so they can be fixed with update_definition — the result says ok=false and lists every error and warning with its pointer and hint. Refused when the document has no usable id or the id exists (use update_definition to change a stored definition).',
    group: 'definitions',
    input: Type.Object({ document: FreeObject({ description: 'The connector definition (dsl "pullpush/v1").' }) }, { additionalProperties: false }),
    output: Type.Object({ id: Type.String(), revision: Type.Integer(), savedAt: Type.String(), ...Validation }),
    annotations: WRITES,
    handler(args, { workspace, runtime }) {
      const id = args.document['id'];
      if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
        throw new PullPushError(
          McpErrorCode.InvalidDocument,
          id === undefined ? 'The document has no "id": it cannot be stored.' : `The document's id ${JSON.stringify(id)} is not a slug: it cannot be stored.`,
          {
            hint: 'Give the definition an "id": lower-case letters, digits, - and _, starting with a letter (at most 64 characters), e.g. "acme-shop".',
            issues: [{ pointer: '/id', message: id === undefined ? 'missing required "id"' : 'must match ^[a-z][a-z0-9_-]*$ (at most 64 characters)', rule: id === undefined ? 'required' : 'pattern' }],
          },
        );
      }
      if (workspace.hasDefinition(id)) {
        throw new PullPushError(McpErrorCode.AlreadyExists, `A definition with id "${id}" exists (revision ${workspace.revisions(id).at(-1)}).`, {
          hint: 'Change it with update_definition (a JSON Patch), or give the new definition another id.',
        });
      }
      const saved = workspace.saveDefinition(id, args.document);
      return { id, revision: saved.revision, savedAt: saved.savedAt, ...validation(runtime, args.document) };
    },
  }),
  defineTool({
    name: 'update_definition',
    title: 'Change a definition with a JSON Patch',
    description:
      'Applies an RFC 6902 JSON Patch (operations add, remove, replace, move, copy, test; pointers as in the document from get_definition) to the latest revision and saves the result as a new revision. Use "test" operations to make sure the definition did not change since it was read. The patch is all or nothing: the first failing operation refuses it with MCP_INVALID_PATCH naming the operation index and pointer. The id may not change. Returns the new revision and the validation result (ok, errors, warnings); a patch that changes nothing saves nothing.',
    group: 'definitions',
    input: Type.Object(
      { definition: DefinitionId, patch: Type.Array(PatchOperation, { minItems: 1, description: 'RFC 6902 operations, applied in order.' }) },
      { additionalProperties: false },
    ),
    output: Type.Object({
      id: Type.String(),
      revision: Type.Integer({ description: 'The revision now latest.' }),
      previousRevision: Type.Integer(),
      changed: Type.Boolean({ description: 'False when the patch left the document as it was (nothing saved).' }),
      summary: Type.String(),
      ...Validation,
    }),
    annotations: WRITES,
    handler(args, { workspace, runtime }) {
      const latest = workspace.getDefinition(args.definition);
      const document = applyDefinitionPatch(latest.document, args.patch);
      if (document['id'] !== args.definition) {
        throw new PullPushError(McpErrorCode.InvalidPatch, `The patch changes the definition's id from "${args.definition}" to ${JSON.stringify(document['id'])}. Nothing was saved.`, {
          hint: 'An id names the definition in the workspace and cannot change: export_definition, change the id, create_definition, then delete_definition the old one.',
          issues: [{ pointer: '/id', message: `must stay "${args.definition}"`, rule: 'id' }],
        });
      }
      const changes = createPatch(latest.document, document);
      const result = validation(runtime, document);
      if (changes.length === 0) return { id: args.definition, revision: latest.revision, previousRevision: latest.revision, changed: false, summary: 'No changes.', ...result };
      const saved = workspace.saveDefinition(args.definition, document);
      return { id: args.definition, revision: saved.revision, previousRevision: latest.revision, changed: true, summary: summarizePatch(changes), ...result };
    },
  }),
  defineTool({
    name: 'delete_definition',
    title: 'Delete a connector definition',
    description:
      'Deletes a connector definition from the workspace with every revision of it. Connections and flows that use it are kept; the result names the flows that still refer to it. Cannot be undone (export_definition first to keep a copy).',
    group: 'definitions',
    input: Type.Object({ definition: DefinitionId }, { additionalProperties: false }),
    output: Type.Object({
      id: Type.String(),
      deleted: Type.Literal(true),
      revisions: Type.Integer({ description: 'Revisions deleted.' }),
      flows: Type.Array(Type.String(), { description: 'Flows that still name this connector.' }),
    }),
    annotations: DESTROYS,
    handler(args, { workspace }) {
      const revisions = workspace.deleteDefinition(args.definition);
      return { id: args.definition, deleted: true as const, revisions, flows: flowsUsing(workspace, args.definition) };
    },
  }),
  defineTool({
    name: 'list_definition_versions',
    title: 'List revisions of a definition',
    description:
      'Lists every stored revision of a connector definition, oldest first: the workspace revision number, when it was saved, and the definition\'s own version and name in that revision. Use it before diff_definition_versions or rollback_definition.',
    group: 'definitions',
    input: Type.Object({ definition: DefinitionId }, { additionalProperties: false }),
    output: Type.Object({
      id: Type.String(),
      latest: Type.Integer(),
      versions: Type.Array(Type.Object({ revision: Type.Integer(), savedAt: Type.String(), version: Type.String(), name: Type.String() })),
    }),
    annotations: READ_ONLY,
    handler(args, { workspace }) {
      const latest = workspace.getDefinition(args.definition);
      const versions = workspace.revisions(args.definition).map((revision) => {
        const stored = workspace.getDefinition(args.definition, revision);
        const { version, name } = stored.document;
        return { revision, savedAt: stored.savedAt, version: typeof version === 'string' ? version : '', name: typeof name === 'string' ? name : args.definition };
      });
      return { id: args.definition, latest: latest.revision, versions };
    },
  }),
  defineTool({
    name: 'diff_definition_versions',
    title: 'Diff two revisions of a definition',
    description:
      'Compares two revisions of a stored definition (from → to; to defaults to the latest) and returns the RFC 6902 JSON Patch that turns the first into the second, the pointers that changed and a one-line summary. Applying the patch to revision "from" with update_definition gives revision "to".',
    group: 'definitions',
    input: Type.Object({ definition: DefinitionId, from: Revision, to: Type.Optional(Revision) }, { additionalProperties: false }),
    output: Type.Object({
      id: Type.String(),
      from: Type.Integer(),
      to: Type.Integer(),
      patch: Type.Array(Type.Object({ op: Type.String(), path: Type.String(), value: Type.Optional(Type.Unknown()), from: Type.Optional(Type.String()) })),
      changed: Type.Array(Type.String(), { description: 'The pointers that differ.' }),
      summary: Type.String(),
    }),
    annotations: READ_ONLY,
    handler(args, { workspace }) {
      const from = workspace.getDefinition(args.definition, args.from);
      const to = workspace.getDefinition(args.definition, args.to);
      const patch = createPatch(from.document, to.document);
      return {
        id: args.definition,
        from: from.revision,
        to: to.revision,
        patch: patch.map((op) => compact<PatchOp>(op)),
        changed: [...new Set(patch.map((op) => op.path))],
        summary: summarizePatch(patch),
      };
    },
  }),
  defineTool({
    name: 'rollback_definition',
    title: 'Roll a definition back to a revision',
    description:
      'Restores an earlier revision of a definition by saving its document again as a new latest revision; the history in between is kept, so a rollback can itself be rolled back. Returns the new revision, what changed and the validation result. Rolling back to a document equal to the latest saves nothing.',
    group: 'definitions',
    input: Type.Object({ definition: DefinitionId, revision: Revision }, { additionalProperties: false }),
    output: Type.Object({
      id: Type.String(),
      revision: Type.Integer({ description: 'The revision now latest.' }),
      restoredFrom: Type.Integer(),
      changed: Type.Boolean(),
      summary: Type.String(),
      ...Validation,
    }),
    annotations: WRITES,
    handler(args, { workspace, runtime }) {
      const target = workspace.getDefinition(args.definition, args.revision);
      const latest = workspace.getDefinition(args.definition);
      const result = validation(runtime, target.document);
      if (sameDocument(latest.document, target.document)) {
        return { id: args.definition, revision: latest.revision, restoredFrom: target.revision, changed: false, summary: 'No changes.', ...result };
      }
      const summary = summarizePatch(createPatch(latest.document, target.document));
      const saved = workspace.saveDefinition(args.definition, target.document);
      return { id: args.definition, revision: saved.revision, restoredFrom: target.revision, changed: true, summary, ...result };
    },
  }),
  defineTool({
    name: 'export_definition',
    title: 'Export a definition as a file',
    description:
      'Returns a stored definition (latest or a given revision) as pretty-printed JSON text with the suggested file name <id>.pullpush.json, ready to write to disk or commit (pullpush validate and pullpush test take such a file).',
    group: 'definitions',
    input: Type.Object({ definition: DefinitionId, revision: Type.Optional(Revision) }, { additionalProperties: false }),
    output: Type.Object({ id: Type.String(), revision: Type.Integer(), fileName: Type.String(), mediaType: Type.Literal('application/json'), text: Type.String() }),
    annotations: READ_ONLY,
    handler(args, { workspace }) {
      const stored = workspace.getDefinition(args.definition, args.revision);
      return { id: args.definition, revision: stored.revision, fileName: `${args.definition}.pullpush.json`, mediaType: 'application/json' as const, text: `${JSON.stringify(stored.document, null, 2)}\n` };
    },
  }),
];
