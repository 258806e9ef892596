// Small schema pieces the DSL is assembled from.
import Type, { type Static, type TObject, type TSchema } from 'typebox';

/**
 * A string that may hold `{{ expression }}` placeholders (JSONata), e.g. `https://{{ $config.shop }}.example.com`.
 * Text outside the braces is literal; a template that is a single placeholder keeps the expression's type.
 */
export function Template(description: string) {
  return Type.String({ description: `${description} A template: literal text with {{ JSONata }} placeholders.` });
}

/** A JSONata expression, evaluated by the engine with the variables allowed where it stands. */
export function Expression(description: string) {
  return Type.String({ minLength: 1, description: `${description} A JSONata expression.` });
}

/** Slug: lower-case letters, digits, `-` and `_`, starting with a letter. */
export const SLUG_PATTERN = '^[a-z][a-z0-9_-]*$';
export function Slug(description: string) {
  return Type.String({ pattern: SLUG_PATTERN, maxLength: 64, description });
}

export const Headers = Type.Record(Type.String({ pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]+$' }), Template('Header value.'), { additionalProperties: false,
  description: 'HTTP headers by name; values are templates.',
});

export const QueryParams = Type.Record(Type.String({ minLength: 1 }), Template('Query parameter value.'), {
  description: 'Query parameters by name; values are templates.',
});

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
 * A union tagged by `kind`, emitted as `oneOf` with an OpenAPI-style discriminator so a validator reports the
 * problems of the branch the document chose, not of every branch.
 */
export function Tagged<const T extends readonly TObject[]>(variants: T, description: string) {
  const kinds = variants.map((variant) => (variant.properties['kind'] as unknown as { const: string }).const);
  return Type.Unsafe<Static<T[number]>>({
    type: 'object',
    description,
    properties: { kind: { type: 'string', enum: kinds, description: `One of: ${kinds.join(', ')}.` } },
    required: ['kind'],
    discriminator: { propertyName: 'kind' },
    oneOf: variants as unknown as TSchema[],
  });
}

/** An object of a tagged union: `kind` first, closed. */
export function Variant<const K extends string, P extends Record<string, TSchema>>(kind: K, description: string, properties: P) {
  return Type.Object(
    { kind: Type.Literal(kind, { description: `"${kind}": ${description}` }), ...properties },
    { additionalProperties: false, description },
  );
}
