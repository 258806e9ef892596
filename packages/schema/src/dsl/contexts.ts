// Where a template or expression stands decides which $variables it sees. This table is the one declaration of
// it: each expression site of the DSL schema names its context (the `x-template`, `x-templates` and
// `x-expression` annotations, see building-blocks.ts), the validator checks expressions against it, and the
// engine binds exactly these variables — its bindings are typed from this table, so they cannot drift apart.
// The run time is JSONata's own $now() and $millis(), which the engine fixes for a run (never a variable: a bound
// `now` would shadow the function and make $now() fail).

/** Every variable some context binds, and what it holds. */
export const EXPRESSION_VARIABLES = {
  config: 'the connection config ($config.shop); secret keys only where the context allows secrets',
  state: 'the stored incremental position of the partition being read ($state.cursor)',
  cursor: 'the incremental cursor as the request sends it, formatted and moved back by the lookback',
  partition: 'the current partition value',
  parent: 'the parent record of a parent→child partition',
  record: 'the native record being mapped, filtered or written',
  headers: 'the response headers, by lower-case name ($headers.`x-total-count`)',
  status: 'the response status code',
  auth: 'what a session login returned ($auth.token)',
  remoteId: 'the remote id of the record being written',
  body: 'the webhook body as text',
  header: 'one webhook header value',
  env: 'environment variables (flows only)',
} as const;
export type ExpressionVariable = keyof typeof EXPRESSION_VARIABLES;

export interface ContextDeclaration {
  readonly description: string;
  readonly variables: readonly ExpressionVariable[];
  /** Whether $config holds the connection's secret values here; elsewhere they are absent. */
  readonly secrets: boolean;
}

export const EXPRESSION_CONTEXTS = {
  connection: { description: 'http: base URL, default headers and query', variables: ['config'], secrets: false },
  auth: { description: 'auth: credentials, token and login requests', variables: ['config'], secrets: true },
  session: { description: 'auth.value of a session: the injected value', variables: ['config', 'auth'], secrets: true },
  loginResponse: { description: 'auth.tokenPath and expiresInPath, over the login response body', variables: ['headers'], secrets: false },
  request: { description: 'a stream request: path, query, headers, body', variables: ['config', 'state', 'partition', 'parent'], secrets: false },
  records: { description: 'records.path, over the response body', variables: ['config', 'partition', 'parent', 'headers'], secrets: false },
  recordFilter: { description: 'records.filter, over each native record', variables: ['config', 'partition', 'parent', 'record'], secrets: false },
  pagination: {
    description: 'pagination: cursor, next URL, totals and stopWhen, over the response body',
    variables: ['config', 'partition', 'parent', 'headers'],
    secrets: false,
  },
  incremental: { description: 'incremental.startDate', variables: ['config'], secrets: false },
  incrementalValue: { description: 'incremental.value: the request value of the cursor ("{{ $cursor }}", ">={{ $cursor }}")', variables: ['config', 'cursor'], secrets: false },
  partitionValue: { description: 'partitions.value, over each parent record', variables: ['config', 'record'], secrets: false },
  mapping: { description: 'mapping fields and incremental.cursorField, over each native record', variables: ['config', 'partition', 'parent', 'record'], secrets: false },
  write: { description: 'writes: request and body, from the canonical record', variables: ['config', 'record', 'remoteId'], secrets: false },
  writeResponse: { description: 'writes: remoteIdPath and lookup paths, over the response body', variables: ['config', 'record', 'headers'], secrets: false },
  responseFilter: { description: 'responseFilters[].bodyMatches, over the response body', variables: ['config', 'status', 'headers'], secrets: false },
  webhookSecret: { description: 'webhooks.signature.secret', variables: ['config'], secrets: true },
  webhookPayload: { description: 'webhooks.signature.signedPayload', variables: ['config', 'body', 'headers'], secrets: false },
  webhookExtract: { description: 'webhooks.signature.extract', variables: ['header'], secrets: false },
  webhookEvent: { description: 'webhooks: event type, batch and record paths, over the delivery body', variables: ['headers'], secrets: false },
  flow: { description: 'flow destination paths and URLs', variables: ['env'], secrets: false },
} as const satisfies Record<string, ContextDeclaration>;

export type ExpressionContext = keyof typeof EXPRESSION_CONTEXTS;

/** The variable names a context binds. */
export type ContextVariables<C extends ExpressionContext> = (typeof EXPRESSION_CONTEXTS)[C]['variables'][number];

/** The names of the annotations that mark expression sites in the DSL's JSON Schema; their value is a context. */
export const SITE_ANNOTATIONS = {
  /** A string that is a template: literal text with {{ expression }} placeholders. */
  template: 'x-template',
  /** A JSON value every string of which is a template (request bodies). */
  templates: 'x-templates',
  /** A string that is one JSONata expression. */
  expression: 'x-expression',
} as const;
export type SiteForm = keyof typeof SITE_ANNOTATIONS;

export function isExpressionContext(value: unknown): value is ExpressionContext {
  return typeof value === 'string' && Object.hasOwn(EXPRESSION_CONTEXTS, value);
}
