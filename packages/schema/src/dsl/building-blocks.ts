// Small schema pieces the DSL is assembled from.
import Type, { type Static, type TObject, type TSchema } from 'typebox';
import { SITE_ANNOTATIONS, type ExpressionContext } from './contexts.ts';

/**
 * A string that may hold `{{ expression }}` placeholders (JSONata), e.g. `https://{{ $config.shop }}.example.com`.
 * Text outside the braces is literal; a template that is a single placeholder keeps the expression's type.
 * `context` decides which $variables its expressions see.
 */
export function Template(description: string, context: ExpressionContext) {
  return Type.String({ description: `${description} A template: literal text with {{ JSONata }} placeholders.`, [SITE_ANNOTATIONS.template]: context });
}

/** Any JSON value whose strings are templates (a request body). */
export function Templates(description: string, context: ExpressionContext) {
  return Type.Unknown({ description: `${description} String values are templates.`, [SITE_ANNOTATIONS.templates]: context });
}

/** A JSONata expression, evaluated by the engine with the variables of `context`. */
export function Expression(description: string, context: ExpressionContext) {
  return Type.String({ minLength: 1, description: `${description} A JSONata expression.`, [SITE_ANNOTATIONS.expression]: context });
}

/** Slug: lower-case letters, digits, `-` and `_`, starting with a letter. */
export const SLUG_PATTERN = '^[a-z][a-z0-9_-]*$';
export function Slug(description: string) {
  return Type.String({ pattern: SLUG_PATTERN, maxLength: 64, description });
}

export function Headers(context: ExpressionContext) {
  return Type.Record(Type.String({ pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }), Template('Header value.', context), {
    additionalProperties: false,
    description: 'HTTP headers by name; values are templates.',
  });
}

export function QueryParams(context: ExpressionContext) {
  return Type.Record(Type.String({ minLength: 1 }), Template('Query parameter value.', context), {
    description: 'Query parameters by name; values are templates.',
  });
}

/** Where a value is placed in a request. */
export const Placement = Type.Object(
  {
    in: Type.Enum(['query', 'body', 'header'], { description: 'Where the value goes: query parameter, JSON body field or header.' }),
    name: Type.String({ minLength: 1, description: 'Parameter, body field (dotted path) or header name.' }),
  },
  { additionalProperties: false, description: 'A named place in a request.' },
);
export type Placement = Static<typeof Placement>;

/**
 * A union tagged by the property `tag`, emitted as `oneOf` with an OpenAPI-style discriminator so a validator
 * reports the problems of the branch the document chose, not of every branch.
 */
export function TaggedBy<const T extends readonly TObject[]>(tag: string, variants: T, description: string) {
  const tags = variants.map((variant) => (variant.properties[tag] as unknown as { const: string }).const);
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    description,
    properties: { [tag]: { type: 'string', enum: tags, description: `One of: ${tags.join(', ')}.` } },
    required: [tag],
    discriminator: { propertyName: tag },
    oneOf: variants as unknown as TSchema[],
  });
}

/** A union tagged by `kind`: the DSL's components (auth, pagination, partitions, destinations). */
export function Tagged<const T extends readonly TObject[]>(variants: T, description: string) {
  return TaggedBy('kind', variants, description);
}

/** An object of a tagged union: `kind` first, closed. */
export function Variant<const K extends string, P extends Record<string, TSchema>>(kind: K, description: string, properties: P) {
  return Type.Object(
    { kind: Type.Literal(kind, { description: `"${kind}": ${description}` }), ...properties },
    { additionalProperties: false, description },
  );
}
