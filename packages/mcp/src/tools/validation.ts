// Validation tools: check a definition or flow (stored or inline) with every problem at its pointer, and the
// reference a model needs to write one — the DSL JSON Schema and the variables each template may use.
import { EXPRESSION_CONTEXTS, EXPRESSION_VARIABLES, definitionJsonSchema, flowJsonSchema, validateFlow } from '@pullpush/schema';
import Type from 'typebox';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from '../errors.ts';
import { getExample, listExamples } from '../examples.ts';
import { defineTool, READ_ONLY } from '../tool.ts';
import { definitionSchemaSection, SCHEMA_SECTIONS } from './schema-sections.ts';
import { compact, DefinitionId, JsonObject, Problem, Revision, type ProblemOut } from './schemas.ts';

export const validationTools = [
  defineTool({
    name: 'validate_definition',
    title: 'Validate a connector definition',
    description:
      'Checks a connector definition — a stored one (definition id, optional revision) or one given inline (document) — or a flow (kind "flow"). Returns every error and warning with a stable code, a JSON pointer, a message, a hint and a did-you-mean suggestion. Fix errors at their pointers; warnings are advice.',
    group: 'validation',
    input: Type.Object(
      {
        definition: Type.Optional(DefinitionId),
        revision: Type.Optional(Revision),
        document: Type.Optional(JsonObject),
        kind: Type.Optional(Type.Enum(['definition', 'flow'], { description: 'What the document is (default definition).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({ ok: Type.Boolean(), errors: Type.Array(Problem), warnings: Type.Array(Problem) }),
    annotations: READ_ONLY,
    handler(args, { workspace, runtime }) {
      const document = args.document ?? (args.definition ? workspace.getDefinition(args.definition, args.revision).document : undefined);
      if (document === undefined) {
        throw new PullPushError(McpErrorCode.InvalidArguments, 'Give either a stored definition id or an inline document.', { hint: 'validate_definition { "definition": "shop" } or { "document": { … } }.' });
      }
      const result = args.kind === 'flow' ? validateFlow(document) : runtime.validateDefinition(document);
      return { ok: result.ok, errors: result.errors.map(compact<ProblemOut>), warnings: result.warnings.map(compact<ProblemOut>) };
    },
  }),
  defineTool({
    name: 'get_connector_schema',
    title: 'Get the connector DSL JSON Schema',
    description:
      'Returns the JSON Schema of connector definitions (DSL v1) in pieces: section "outline" lists every key with its description (start there), then one section for what you are writing: connection (http, config, retry, rate limits, response filters, check), auth, stream, pagination, incremental, partitions, mapping, writes or webhooks. Without a section, the whole schema (about 55 KB); kind "flow" gives the flow schema.',
    group: 'validation',
    input: Type.Object(
      {
        kind: Type.Optional(Type.Enum(['definition', 'flow'])),
        section: Type.Optional(Type.Enum([...SCHEMA_SECTIONS], { description: 'One part of the definition schema; "outline" first.' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({ schema: JsonObject }),
    annotations: READ_ONLY,
    handler: (args) => ({ schema: args.kind === 'flow' ? flowJsonSchema() : args.section ? definitionSchemaSection(args.section) : definitionJsonSchema() }),
  }),
  defineTool({
    name: 'get_example',
    title: 'Get an example definition',
    description:
      'Example connector definitions of real APIs (Stripe, GitHub, Jira, Slack), each validating and using a different auth and pagination: without a name, the list (name, auth kind, streams, pagination kinds); with a name, the whole definition. Read the one closest to the API you are writing for. Also resources pullpush://examples/{name}.',
    group: 'validation',
    input: Type.Object({ name: Type.Optional(Type.String({ description: 'An example name from the list (stripe, github…).' })) }, { additionalProperties: false }),
    output: Type.Object({
      examples: Type.Array(Type.Object({ name: Type.String(), title: Type.String(), auth: Type.String(), streams: Type.Array(Type.String()), pagination: Type.Array(Type.String()) })),
      definition: Type.Optional(JsonObject),
    }),
    annotations: READ_ONLY,
    handler: (args) => ({ examples: listExamples(), ...(args.name === undefined ? {} : { definition: getExample(args.name) }) }),
  }),
  defineTool({
    name: 'list_template_variables',
    title: 'List template variables by place',
    description:
      'Lists, for each place a template or expression may stand in a definition (request, auth, mapping, pagination, …), the variables it may use ($config, $state, $record, …) and what each holds. Expressions are JSONata; templates are text with {{ }} placeholders; $now() is the run time.',
    group: 'validation',
    input: Type.Object({ place: Type.Optional(Type.String({ description: 'One place (e.g. "mapping"); default all.' })) }, { additionalProperties: false }),
    output: Type.Object({
      places: Type.Array(
        Type.Object({
          place: Type.String(),
          where: Type.String(),
          secrets: Type.Boolean({ description: 'Whether $config holds the secret values here.' }),
          variables: Type.Array(Type.Object({ name: Type.String(), meaning: Type.String() })),
        }),
      ),
    }),
    annotations: READ_ONLY,
    handler(args) {
      const entries = Object.entries(EXPRESSION_CONTEXTS).filter(([place]) => args.place === undefined || place === args.place);
      if (entries.length === 0) {
        throw new PullPushError(McpErrorCode.InvalidArguments, `No place "${args.place}".`, { hint: `Places: ${Object.keys(EXPRESSION_CONTEXTS).join(', ')}.` });
      }
      return {
        places: entries.map(([place, declaration]) => ({
          place,
          where: declaration.description,
          secrets: declaration.secrets,
          variables: declaration.variables.map((name) => ({ name: `$${name}`, meaning: EXPRESSION_VARIABLES[name] })),
        })),
      };
    },
  }),
];
