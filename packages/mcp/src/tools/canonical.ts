// Canonical tools: the canonical data model a mapping targets — the types and their fields, record validation,
// one native record through a stored stream's mapping, and deterministic mapping suggestions from a sample.
import {
  CanonicalErrorCode,
  canonicalFields,
  canonicalJsonSchema,
  getCanonicalType,
  listCanonicalTypes,
  PullPushError,
  typeRef,
  validateCanonical,
  type CanonicalTypeDefinition,
} from '@pullpush/canonical';
import { loadDiscovery, loadEngine } from '../libraries/load.ts';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { defineTool, READ_ONLY } from '../tool.ts';
import { closestName, compact, DefinitionId, Issue, JsonObject, Revision, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

const TypeRef = Type.String({ minLength: 1, maxLength: 100, description: 'Canonical type: "commerce.order@1", or "commerce.order" for its latest version.' });

function domainOf(definition: Pick<CanonicalTypeDefinition, 'name'>): string {
  return definition.name.split('.')[0] ?? definition.name;
}

/** The canonical type `ref` names; MCP_NOT_FOUND with a did-you-mean when there is none. */
export function canonicalType(ref: string): CanonicalTypeDefinition {
  try {
    return getCanonicalType(ref);
  } catch (error) {
    if (!(error instanceof PullPushError) || error.code !== CanonicalErrorCode.UnknownType) throw error;
    const names = [...new Set(listCanonicalTypes().map((definition) => definition.name))];
    const name = ref.split('@')[0] ?? ref;
    if (names.includes(name)) throw new PullPushError(McpErrorCode.NotFound, error.message, error.hint === undefined ? {} : { hint: error.hint });
    const suggestion = closestName(name, names);
    throw new PullPushError(McpErrorCode.NotFound, `No canonical type "${ref}".`, {
      hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Types: ${names.join(', ')} (list_canonical_types describes them).`,
    });
  }
}

const FIELD_NOTES: Record<string, string> = {
  id: 'filled by the engine (the canonical key); never mapped',
  remote: 'filled by the engine (source identity; remote.id from the stream primaryKey)',
  deleted: 'defaults to false; map it only when the source marks deletions',
  custom: 'source-specific fields, from mapping.custom',
  raw: 'the native record, with mapping.keepRaw',
};

function noteOf(path: string): string | undefined {
  return FIELD_NOTES[path] ?? (path.startsWith('remote.') ? FIELD_NOTES['remote'] : undefined);
}


// ── tools ──────────────────────────────────────────────────────────────────────────────────────────────────

const TypeSummary = Type.Object({
  type: Type.String({ description: 'name@version, as streams name it.' }),
  name: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  domain: Type.String(),
  key: Type.Array(Type.String(), { description: 'Fields whose values make the canonical key.' }),
});

function typeSummary(definition: CanonicalTypeDefinition) {
  return {
    type: typeRef(definition),
    name: definition.name,
    version: definition.version,
    title: definition.title,
    description: definition.description,
    domain: domainOf(definition),
    key: [...definition.key],
  };
}

const FieldMappingOut = FreeObject({ description: 'A field mapping for the definition: { "path": … } or { "expr": … }.' });

export const canonicalTools = [
  defineTool({
    name: 'list_canonical_types',
    title: 'List canonical types',
    description:
      'Lists the canonical types a stream can map to (commerce.order@1, crm.contact@1, …): name@version, title, description, domain and the key fields. Filter by domain (commerce, crm, accounting, ticketing, hris, common). Use get_canonical_type for a type\'s fields.',
    group: 'canonical',
    input: Type.Object({ domain: Type.Optional(Type.String({ description: 'Only types of this domain (the part before the dot).' })) }, { additionalProperties: false }),
    output: Type.Object({ types: Type.Array(TypeSummary) }),
    annotations: READ_ONLY,
    handler(args) {
      const all = listCanonicalTypes();
      const types = all.filter((definition) => args.domain === undefined || domainOf(definition) === args.domain);
      if (types.length === 0) {
        const domains = [...new Set(all.map(domainOf))];
        const suggestion = closestName(args.domain ?? '', domains);
        throw new PullPushError(McpErrorCode.NotFound, `No canonical types in domain "${args.domain}".`, { hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Domains: ${domains.join(', ')}.` });
      }
      return { types: types.map(typeSummary) };
    },
  }),
  defineTool({
    name: 'get_canonical_type',
    title: 'Get a canonical type',
    description:
      'Returns one canonical type: its JSON Schema (draft 2020-12), key fields and every field as a flat list (dotted paths, [] for array items) with its type, whether it is required or nullable, and its description. Read it before writing a stream\'s mapping: mapping.fields keys are these paths. Money is { amount: decimal string, currency: ISO 4217 }, timestamps ISO 8601 UTC, enums { value, native }.',
    group: 'canonical',
    input: Type.Object({ type: TypeRef }, { additionalProperties: false }),
    output: Type.Object({
      ...TypeSummary.properties,
      schemaId: Type.String(),
      schema: JsonObject,
      fields: Type.Array(
        Type.Object({
          path: Type.String(),
          type: Type.String(),
          required: Type.Boolean(),
          nullable: Type.Boolean(),
          description: Type.String(),
          note: Type.Optional(Type.String()),
        }),
      ),
    }),
    annotations: READ_ONLY,
    handler(args) {
      const definition = canonicalType(args.type);
      const schema = canonicalJsonSchema(definition);
      return {
        ...typeSummary(definition),
        schemaId: schema.$id,
        schema,
        fields: canonicalFields(definition).map((field) =>
          compact<{ path: string; type: string; required: boolean; nullable: boolean; description: string }>({
            path: field.path,
            type: field.label,
            required: field.required,
            nullable: field.nullable,
            description: field.description,
            note: noteOf(field.path),
          }),
        ),
      };
    },
  }),
  defineTool({
    name: 'validate_canonical',
    title: 'Validate a canonical record',
    description:
      'Checks a record against a canonical type and returns valid plus every issue with the JSON pointer of the offending value (missing fields, closed records, money as decimal strings, UTC timestamps, enum values). Use it on what a mapping produced or on a record you wrote by hand.',
    group: 'canonical',
    input: Type.Object({ type: TypeRef, record: Type.Unknown({ description: 'The canonical record.' }) }, { additionalProperties: false }),
    output: Type.Object({ type: Type.String(), valid: Type.Boolean(), issues: Type.Array(Issue) }),
    annotations: READ_ONLY,
    handler(args) {
      const definition = canonicalType(args.type);
      const result = validateCanonical(definition, args.record);
      return { type: typeRef(definition), valid: result.valid, issues: result.issues.map((issue) => compact<{ pointer: string; message: string }>(issue)) };
    },
  }),
  defineTool({
    name: 'map_record',
    title: 'Map a native record through a stream',
    description:
      'Runs one native record (a sample from the API) through the mapping of a stream of a stored definition, without any request, and returns the canonical record it produces — or ok=false with the message and the pointers of what failed (a field expression, a missing primary key, a value the canonical type refuses). Use it to check a mapping before test_connector. config gives values the mapping reads as $config (not secrets).',
    group: 'canonical',
    input: Type.Object(
      {
        definition: DefinitionId,
        revision: Type.Optional(Revision),
        stream: Type.String({ minLength: 1, description: 'Stream name in the definition.' }),
        record: Type.Unknown({ description: 'The native record, as the API returns one.' }),
        config: Type.Optional(FreeObject({ description: 'Config values the mapping may read ($config); no secrets needed.' })),
        now: Type.Optional(Type.String({ format: 'date-time', description: '$now for the mapping (default the current time).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      definition: Type.String(),
      revision: Type.Integer(),
      stream: Type.String(),
      canonical: Type.String({ description: 'The canonical type the stream maps to.' }),
      ok: Type.Boolean(),
      remoteId: Type.String(),
      record: Type.Optional(JsonObject),
      message: Type.Optional(Type.String()),
      issues: Type.Array(Issue),
    }),
    annotations: READ_ONLY,
    async handler(args, { workspace }) {
      const stored = workspace.getDefinition(args.definition, args.revision);
      const now = args.now === undefined ? undefined : new Date(args.now);
      if (now && Number.isNaN(now.getTime())) throw new PullPushError(McpErrorCode.InvalidArguments, `"${args.now}" is not a date-time.`, { hint: 'Write ISO 8601: 2026-01-31T09:30:00Z.' });
      const result = await (await loadEngine()).mapNativeRecord(stored.document, args.stream, args.record, { ...(args.config ? { config: args.config } : {}), ...(now ? { now } : {}) });
      const streams = stored.document['streams'] as Record<string, Json> | undefined;
      const canonical = String(streams?.[args.stream]?.['canonical'] ?? '');
      const base = { definition: args.definition, revision: stored.revision, stream: args.stream, canonical, remoteId: result.remoteId };
      return result.ok
        ? { ...base, ok: true, record: result.record, issues: [] }
        : { ...base, ok: false, message: result.message, issues: result.issues.map((issue) => compact<{ pointer: string; message: string }>(issue)) };
    },
  }),
  defineTool({
    name: 'suggest_mappings',
    title: 'Suggest a mapping from a sample record',
    description:
      'Given one native sample record and a canonical type, suggests for each canonical field the native path that most likely holds it, with a confidence from 0 to 1 and the reason (exact name, snake/camel case, synonyms such as qty → quantity or created → createdAt, type fit such as date-time strings for timestamps or decimal strings for money amounts) and a ready field mapping ({ path } or a converting { expr }). Deterministic, no model involved: review each suggestion. Also lists canonical fields left without a suggestion, native fields left unmapped, and a draft mapping.fields of the suggestions with confidence >= 0.5.',
    group: 'canonical',
    input: Type.Object(
      { type: TypeRef, record: FreeObject({ description: 'One native record, as the API returns it.' }) },
      { additionalProperties: false },
    ),
    output: Type.Object({
      type: Type.String(),
      suggestions: Type.Array(
        Type.Object({
          field: Type.String({ description: 'Canonical field path (mapping.fields key).' }),
          path: Type.String({ description: 'JSONata path in the native record.' }),
          pointer: Type.String({ description: 'JSON pointer of that value in the sample.' }),
          confidence: Type.Number({ minimum: 0, maximum: 1 }),
          reason: Type.String(),
          mapping: Type.Optional(FieldMappingOut),
        }),
      ),
      unmatched: Type.Array(Type.Object({ field: Type.String(), type: Type.String(), required: Type.Boolean() })),
      unmappedNative: Type.Array(Type.Object({ path: Type.String(), pointer: Type.String(), type: Type.String() })),
      draft: Type.Record(Type.String(), FieldMappingOut, { description: 'mapping.fields from the confident suggestions.' }),
    }),
    annotations: READ_ONLY,
    handler: async (args) => (await loadDiscovery()).suggestMappings(canonicalType(args.type), args.record),
  }),
];
