// One failing and one passing case per problem code of validateDefinition: each failing case starts from the
// valid shop definition, breaks one thing and expects that code at that exact pointer; each passing case is a
// legitimate variant of the same construct that must not produce the code.
import { describe, expect, it } from 'vitest';
import { DSL_VERSION, DslCode, validateDefinition, validateDefinitionText, validateFlow, validateFlowText, type Problem, type ValidationResult } from '../src/index.ts';
import { shopDefinition } from './fixtures.ts';

type Definition = ReturnType<typeof shopDefinition>;
type Code = (typeof DslCode)[keyof typeof DslCode];

interface Failing {
  name: string;
  mutate: (definition: Definition) => void;
  pointer: string;
  /** The expected did-you-mean; `null` asserts there is none. */
  suggestion?: string | null;
  /** Text the hint must contain. */
  hint?: string;
  /** Other codes the same single mistake legitimately reports too (besides the code under test). */
  alsoReports?: Code[];
  /** The code may be reported more than once at the pointer (JSON Schema meta-schema errors of one keyword). */
  repeats?: true;
}

interface Passing {
  name: string;
  mutate: (definition: Definition) => void;
}

interface Rule {
  code: Code;
  severity: 'error' | 'warning';
  failing: Failing[];
  passing: Passing[];
}

function validate(mutate: (definition: Definition) => void): ValidationResult {
  const definition = shopDefinition();
  mutate(definition);
  return validateDefinition(definition);
}

function all(result: ValidationResult): Problem[] {
  return [...result.errors, ...result.warnings];
}

function summary(result: ValidationResult): string {
  return JSON.stringify(all(result).map((problem) => `${problem.code} ${problem.pointer}`));
}

const WARNINGS = new Set<string>([DslCode.NoRateLimit, DslCode.NoCheck, DslCode.FullRefresh]);

/** Every problem explains itself and has the severity its code implies. */
function expectWellFormed(result: ValidationResult): void {
  for (const problem of result.errors) {
    expect(problem.severity).toBe('error');
    expect(WARNINGS.has(problem.code), problem.code).toBe(false);
  }
  for (const problem of result.warnings) {
    expect(problem.severity).toBe('warning');
    expect(WARNINGS.has(problem.code), problem.code).toBe(true);
  }
  for (const problem of all(result)) {
    expect(problem.message.trim(), `${problem.code} has a message`).not.toBe('');
    expect(problem.pointer === '' || problem.pointer.startsWith('/'), problem.pointer).toBe(true);
    if (problem.hint !== undefined) expect(problem.hint.trim()).not.toBe('');
    if (problem.suggestion !== undefined) expect(problem.hint ?? '').toContain(`Did you mean "${problem.suggestion}"?`);
  }
  expect(result.ok).toBe(result.errors.length === 0);
}

const CONTACT_CREATE = { request: { method: 'POST', path: '/contacts' }, body: { first_name: { path: 'firstName' }, email: { expr: 'emails[0].address' } } };

const ORDERS_STREAM = {
  canonical: 'commerce.order@1',
  request: { path: '/orders' },
  records: { path: 'orders' },
  primaryKey: ['id'],
  mapping: {
    fields: {
      number: { path: 'name' },
      status: { expr: "closed ? 'completed' : 'open'" },
      paymentStatus: { path: 'financial_status' },
      fulfillmentStatus: { path: 'fulfillment_status' },
      currency: { path: 'currency' },
      'totals.subtotal': { path: 'subtotal_price' },
      'totals.total': { path: 'total_price' },
    },
  },
};

const WEBHOOKS = {
  signature: { header: 'X-Shop-Signature', algorithm: 'sha256', encoding: 'base64', secret: '{{ $config.apiKey }}' },
  eventTypePath: 'topic',
  events: { 'customers/update': { stream: 'customers', operation: 'updated' } },
};

const RULES: Rule[] = [
  {
    code: DslCode.NotADocument,
    severity: 'error',
    failing: [], // not a mutation of the shop definition: covered by its own tests below
    passing: [{ name: 'an object is a document', mutate: (d) => void d }],
  },
  {
    code: DslCode.TooDeep,
    severity: 'error',
    failing: [
      {
        name: 'a request body nested 100,000 levels deep (a stack overflow for any recursive walk)',
        mutate: (d) => {
          let body: unknown = 'x';
          for (let level = 0; level < 100_000; level += 1) body = { a: body };
          d['streams'].customers.request.body = body;
        },
        pointer: `/streams/customers/request/body${'/a'.repeat(60)}`,
        hint: 'flatten',
      },
      {
        name: 'a value that contains itself',
        mutate: (d) => {
          const loop: Record<string, unknown> = {};
          loop['self'] = loop;
          d['streams'].customers.request.body = loop;
        },
        pointer: `/streams/customers/request/body${'/self'.repeat(60)}`,
      },
    ],
    passing: [
      {
        name: 'a body nested 40 levels deep',
        mutate: (d) => {
          let body: unknown = 'x';
          for (let level = 0; level < 40; level += 1) body = { a: body };
          d['streams'].customers.request = { method: 'POST', path: '/customers/search', search: true, body };
        },
      },
    ],
  },
  {
    code: DslCode.UnknownKey,
    severity: 'error',
    failing: [
      {
        name: 'misspelled stream key "paginaton"',
        mutate: (d) => {
          d['streams'].customers.paginaton = d['streams'].customers.pagination;
          delete d['streams'].customers.pagination;
        },
        pointer: '/streams/customers/paginaton',
        suggestion: 'pagination',
        hint: 'Allowed here:',
      },
      {
        name: 'wrong case at the top level "ratelimits"',
        mutate: (d) => {
          d['ratelimits'] = d['rateLimits'];
          delete d['rateLimits'];
        },
        pointer: '/ratelimits',
        suggestion: 'rateLimits',
        hint: 'Allowed here:',
        alsoReports: [DslCode.NoRateLimit],
      },
      {
        name: 'a key of another auth kind',
        mutate: (d) => {
          d['auth'].token = '{{ $config.apiKey }}';
        },
        pointer: '/auth/token',
        suggestion: null,
        hint: 'Allowed here: kind, in, name, value, hosts.',
      },
    ],
    passing: [
      {
        name: 'optional keys spelled right ($schema, description, retry)',
        mutate: (d) => {
          d['$schema'] = 'https://pullpush.dev/schema/definition.json';
          d['description'] = 'Customers and stock of a shop.';
          d['streams'].customers.description = 'Shop customers.';
          d['retry'] = { maxAttempts: 3, jitter: true };
        },
      },
    ],
  },
  {
    code: DslCode.MissingField,
    severity: 'error',
    failing: [
      {
        name: 'no http block',
        mutate: (d) => {
          delete d['http'];
        },
        pointer: '/http',
        hint: 'http:',
      },
      {
        name: 'a stream without primaryKey',
        mutate: (d) => {
          delete d['streams'].stock.primaryKey;
        },
        pointer: '/streams/stock/primaryKey',
      },
      {
        name: 'auth without kind',
        mutate: (d) => {
          delete d['auth'].kind;
        },
        pointer: '/auth/kind',
      },
      {
        name: 'cursor pagination without its cursor',
        mutate: (d) => {
          delete d['streams'].customers.pagination.cursor;
        },
        pointer: '/streams/customers/pagination/cursor',
      },
    ],
    passing: [
      {
        name: 'optional blocks left out (records, pageSize, headers)',
        mutate: (d) => {
          delete d['streams'].customers.records;
          delete d['streams'].customers.pagination.pageSize;
          delete d['http'].headers;
        },
      },
    ],
  },
  {
    code: DslCode.InvalidValue,
    severity: 'error',
    failing: [
      {
        name: 'misspelled enum value http.format "jsn"',
        mutate: (d) => {
          d['http'].format = 'jsn';
        },
        pointer: '/http/format',
        suggestion: 'json',
      },
      {
        name: 'a version that is not semver',
        mutate: (d) => {
          d['version'] = '1.0';
        },
        pointer: '/version',
        hint: 'semver',
      },
      {
        name: 'a timeout below the minimum',
        mutate: (d) => {
          d['http'].timeoutMs = 50;
        },
        pointer: '/http/timeoutMs',
      },
      {
        name: 'a field mapping with both path and expr',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { path: 'email', expr: '$lowercase(email)' };
        },
        pointer: '/streams/customers/mapping/fields/email',
      },
      {
        name: 'a primary key that is not an array',
        mutate: (d) => {
          d['streams'].customers.primaryKey = 'id';
        },
        pointer: '/streams/customers/primaryKey',
      },
    ],
    passing: [
      {
        name: 'other allowed values (csv, prerelease version, timeout, const mapping)',
        mutate: (d) => {
          d['http'].format = 'csv';
          d['version'] = '2.1.0-beta.1+build.7';
          d['http'].timeoutMs = 100;
          d['streams'].customers.mapping.fields.note = { const: null };
        },
      },
    ],
  },
  {
    code: DslCode.UnknownKind,
    severity: 'error',
    failing: [
      {
        name: 'auth kind in the wrong case "apikey"',
        mutate: (d) => {
          d['auth'].kind = 'apikey';
        },
        pointer: '/auth/kind',
        suggestion: 'apiKey',
      },
      {
        name: 'pagination kind "cursr"',
        mutate: (d) => {
          d['streams'].customers.pagination.kind = 'cursr';
        },
        pointer: '/streams/customers/pagination/kind',
        suggestion: 'cursor',
      },
      {
        name: 'partition kind "configs"',
        mutate: (d) => {
          d['streams'].stock.partitions.kind = 'configs';
        },
        pointer: '/streams/stock/partitions/kind',
        suggestion: 'config',
      },
    ],
    passing: [
      {
        name: 'other kinds with their own fields (bearer auth, link pagination)',
        mutate: (d) => {
          d['auth'] = { kind: 'bearer', token: '{{ $config.apiKey }}' };
          d['streams'].customers.pagination = { kind: 'link', pageSize: { param: { in: 'query', name: 'limit' }, value: 250 } };
        },
      },
    ],
  },
  {
    code: DslCode.UnsupportedVersion,
    severity: 'error',
    failing: [
      {
        name: 'dsl pullpush/v2',
        mutate: (d) => {
          d['dsl'] = 'pullpush/v2';
        },
        pointer: '/dsl',
        hint: `Use "${DSL_VERSION}"`,
      },
    ],
    passing: [
      {
        name: 'the current version with a $schema',
        mutate: (d) => {
          d['dsl'] = DSL_VERSION;
          d['$schema'] = 'https://pullpush.dev/schema/definition.json';
        },
      },
    ],
  },
  {
    code: DslCode.InvalidExpression,
    severity: 'error',
    failing: [
      {
        name: 'a placeholder that does not parse',
        mutate: (d) => {
          d['streams'].customers.request.query.status = '{{ $lowercase( }}';
        },
        pointer: '/streams/customers/request/query/status',
        hint: 'JSONata',
      },
      {
        name: 'a regex with a backreference, which only a backtracking matcher runs',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '$match(email, /(a+)\\1/) ? email : null' };
        },
        pointer: '/streams/customers/mapping/fields/email/expr',
        hint: 'RE2',
      },
      {
        name: 'a regex with a lookahead',
        mutate: (d) => {
          d['streams'].customers.request.query.status = '{{ $contains($config.shop, /a(?=b)/) ? "any" : "open" }}';
        },
        pointer: '/streams/customers/request/query/status',
      },
      {
        name: 'unbalanced braces in the base URL',
        mutate: (d) => {
          d['http'].baseUrl = 'https://{{ $config.shop .shop.example.com/api';
        },
        pointer: '/http/baseUrl',
      },
      {
        name: 'a mapping expression that does not parse',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '$lowercase(email' };
        },
        pointer: '/streams/customers/mapping/fields/email/expr',
      },
      {
        name: 'a stopWhen that does not parse',
        mutate: (d) => {
          d['streams'].customers.pagination.stopWhen = 'has_more = ';
        },
        pointer: '/streams/customers/pagination/stopWhen',
      },
    ],
    passing: [
      {
        name: 'regexes RE2 runs: classes, alternation, flags',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '$lowercase($replace(email, /\\s+|mailto:/i, ""))' };
        },
      },
      {
        name: 'richer valid templates and expressions',
        mutate: (d) => {
          d['streams'].customers.request.query.status = '{{ $lowercase("ANY") }}';
          d['streams'].customers.request.query.since = '{{ $fromMillis($toMillis($now()) - 86400000) }}';
          d['streams'].customers.mapping.fields.tags = { expr: '$split(tags, ",") ~> $map($trim)' };
          d['streams'].customers.pagination.stopWhen = '$count(customers) = 0 or $not(has_more)';
        },
      },
    ],
  },
  {
    code: DslCode.ForbiddenVariable,
    severity: 'error',
    failing: [
      {
        name: '$state in the base URL',
        mutate: (d) => {
          d['http'].baseUrl = 'https://{{ $state.host }}.shop.example.com/api';
        },
        pointer: '/http/baseUrl',
        hint: 'only some variables',
      },
      {
        name: '$record in a stream request',
        mutate: (d) => {
          d['streams'].customers.request.query.id = '{{ $record.id }}';
        },
        pointer: '/streams/customers/request/query/id',
      },
      {
        name: '$page in a mapping',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.note = { expr: '$page.note' };
        },
        pointer: '/streams/customers/mapping/fields/note/expr',
      },
      {
        name: '$record in a response filter, which sees the body, $status and $headers',
        mutate: (d) => {
          d['responseFilters'] = [{ bodyMatches: 'error = $record.id', action: 'retry' }];
        },
        pointer: '/responseFilters/0/bodyMatches',
      },
    ],
    passing: [
      {
        name: 'variables where they are allowed, and ones bound with :=',
        mutate: (d) => {
          d['streams'].customers.request.query.since = '{{ $state.cursor }}';
          d['streams'].stock.request.query = { at: '{{ $partition }}' };
          d['streams'].customers.mapping.fields.note = { expr: '($n := note; $n ? $n : $record.comment)' };
        },
      },
      {
        name: 'built-in functions passed as values',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.tags = { expr: '$map($split(tags, ","), $trim)' };
          d['streams'].customers.mapping.fields.lastName = { expr: 'last_name ~> $uppercase' };
          d['streams'].customers.pagination.stopWhen = '$count(customers) = 0 or $not(has_more) or $now() > 0';
        },
      },
    ],
  },
  {
    code: DslCode.UnknownFunction,
    severity: 'error',
    failing: [
      {
        name: '$frobnicate(x) in a mapping',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '$frobnicate(email)' };
        },
        pointer: '/streams/customers/mapping/fields/email/expr',
        hint: 'built-in',
      },
      {
        name: 'an unknown function in a template',
        mutate: (d) => {
          d['streams'].customers.request.query.status = '{{ $lowercaseAll("ANY") }}';
        },
        pointer: '/streams/customers/request/query/status',
      },
    ],
    passing: [
      {
        name: 'a function bound with := and built-ins',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '($clean := function($v) { $lowercase($trim($v)) }; $clean(email))' };
          d['streams'].customers.mapping.fields.firstName = { expr: '$substringBefore(name, " ")' };
        },
      },
    ],
  },
  {
    code: DslCode.ForbiddenFunction,
    severity: 'error',
    failing: [
      {
        name: '$eval(formula) in a mapping: the API could send the expression',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '$eval(formula)' };
        },
        pointer: '/streams/customers/mapping/fields/email/expr',
        hint: 'expression itself',
      },
      {
        name: '$eval passed as a value in a template',
        mutate: (d) => {
          d['streams'].customers.request.query.status = '{{ $map(["1"], $eval) }}';
        },
        pointer: '/streams/customers/request/query/status',
      },
    ],
    passing: [
      {
        name: 'a function of its own named eval, bound with :=',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.email = { expr: '($eval := function($v) { $lowercase($v) }; $eval(email))' };
        },
      },
    ],
  },
  {
    code: DslCode.UnknownConfigKey,
    severity: 'error',
    failing: [
      {
        name: '$config.shpo in the base URL',
        mutate: (d) => {
          d['http'].baseUrl = 'https://{{ $config.shpo }}.shop.example.com/api';
        },
        pointer: '/http/baseUrl',
        suggestion: 'shop',
        hint: '/config/properties',
      },
      {
        name: 'a config partition naming an undeclared key',
        mutate: (d) => {
          d['streams'].stock.partitions.key = 'locatons';
        },
        pointer: '/streams/stock/partitions/key',
        suggestion: 'locations',
      },
    ],
    passing: [
      {
        name: 'a newly declared config key used in the base URL',
        mutate: (d) => {
          d['config'].properties.region = { type: 'string', enum: ['eu', 'us'], default: 'eu' };
          d['http'].baseUrl = 'https://{{ $config.shop }}.{{ $config.region }}.shop.example.com/api';
        },
      },
    ],
  },
  {
    code: DslCode.InvalidConfigSchema,
    severity: 'error',
    failing: [
      {
        name: 'a property with type "strnig"',
        mutate: (d) => {
          d['config'].properties.x = { type: 'strnig' };
        },
        pointer: '/config/properties/x/type',
        hint: 'JSON Schema',
        // the meta-schema's type is anyOf [enum, array]: Ajv reports the enum, the array and the anyOf
        repeats: true,
      },
      {
        name: 'a config schema that does not describe an object',
        mutate: (d) => {
          d['config'].type = 'array';
        },
        pointer: '/config/type',
      },
      {
        name: 'secret that is not a boolean',
        mutate: (d) => {
          d['config'].properties.apiKey.secret = 'yes';
        },
        pointer: '/config/properties/apiKey/secret',
      },
      {
        name: 'a $schema naming a meta-schema the validator does not have',
        mutate: (d) => {
          d['config'].$schema = 'http://json-schema.org/draft-07/schema#';
        },
        pointer: '/config/$schema',
      },
    ],
    passing: [
      {
        name: 'a richer valid config schema',
        mutate: (d) => {
          d['config'].$schema = 'https://json-schema.org/draft/2020-12/schema';
          d['config'].properties.region = { type: 'string', enum: ['eu', 'us'], default: 'eu' };
          d['config'].properties.pageSize = { type: 'integer', minimum: 1, maximum: 250 };
          d['config'].properties.shop.secret = false;
          d['config'].additionalProperties = false;
        },
      },
    ],
  },
  {
    code: DslCode.SecretOutsideAuth,
    severity: 'error',
    failing: [
      {
        name: 'the secret API key in a stream query',
        mutate: (d) => {
          d['streams'].customers.request.query.key = '{{ $config.apiKey }}';
        },
        pointer: '/streams/customers/request/query/key',
        hint: 'Secrets may flow only into auth',
      },
      {
        name: 'the secret API key mapped into a record',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.note = { expr: '$config.apiKey' };
        },
        pointer: '/streams/customers/mapping/fields/note/expr',
        hint: 'Secrets may flow only into auth',
      },
      {
        name: 'the secret API key in the base URL',
        mutate: (d) => {
          d['http'].baseUrl = 'https://{{ $config.apiKey }}.shop.example.com/api';
        },
        pointer: '/http/baseUrl',
      },
    ],
    passing: [
      {
        name: 'secrets in basic auth and in the webhook signing secret; non-secret config elsewhere',
        mutate: (d) => {
          d['auth'] = { kind: 'basic', username: '{{ $config.apiKey }}', password: '' };
          d['webhooks'] = structuredClone(WEBHOOKS);
          d['streams'].customers.request.query.shop = '{{ $config.shop }}';
        },
      },
    ],
  },
  {
    code: DslCode.InsecureBaseUrl,
    severity: 'error',
    failing: [
      {
        name: 'an http:// base URL',
        mutate: (d) => {
          d['http'].baseUrl = 'http://{{ $config.shop }}.shop.example.com/api';
        },
        pointer: '/http/baseUrl',
        hint: 'plain http',
      },
      {
        name: 'an http:// scheme before a host from config',
        mutate: (d) => {
          d['config'].properties.host = { type: 'string' };
          d['http'].baseUrl = 'http://{{ $config.host }}/api';
        },
        pointer: '/http/baseUrl',
        hint: 'plain http',
      },
    ],
    passing: [
      {
        name: 'a literal https URL with a port and no placeholders',
        mutate: (d) => {
          d['http'].baseUrl = 'https://api.shop.example.com:8443/v2';
        },
      },
      {
        // A self-hosted API: the URL comes whole from config, and the engine checks its scheme when it runs.
        name: 'a base URL that comes from config',
        mutate: (d) => {
          d['config'].properties.url = { type: 'string', format: 'uri' };
          d['http'].baseUrl = '{{ $config.url }}/api';
        },
      },
    ],
  },
  {
    code: DslCode.UnknownStream,
    severity: 'error',
    failing: [
      {
        name: 'a parent partition naming a missing stream',
        mutate: (d) => {
          d['streams'].stock.partitions = { kind: 'parent', stream: 'custmers', value: 'id' };
        },
        pointer: '/streams/stock/partitions/stream',
        suggestion: 'customers',
      },
      {
        name: 'a check naming a missing stream',
        mutate: (d) => {
          d['check'].stream = 'stocks';
        },
        pointer: '/check/stream',
        suggestion: 'stock',
      },
      {
        name: 'a webhook event naming a missing stream (pointer escapes "/")',
        mutate: (d) => {
          d['webhooks'] = structuredClone(WEBHOOKS);
          d['webhooks'].events['customers/update'].stream = 'customer';
        },
        pointer: '/webhooks/events/customers~1update/stream',
        suggestion: 'customers',
      },
    ],
    passing: [
      {
        name: 'a parent partition and a check naming existing streams',
        mutate: (d) => {
          d['streams'].stock.partitions = { kind: 'parent', stream: 'customers', value: 'id' };
          d['check'].stream = 'stock';
          d['webhooks'] = structuredClone(WEBHOOKS);
        },
      },
    ],
  },
  {
    code: DslCode.PartitionCycle,
    severity: 'error',
    failing: [
      {
        name: 'customers → stock → customers',
        mutate: (d) => {
          d['streams'].stock.partitions = { kind: 'parent', stream: 'customers', value: 'id' };
          d['streams'].customers.partitions = { kind: 'parent', stream: 'stock', value: 'location_id' };
        },
        pointer: '/streams/customers/partitions/stream',
        hint: 'the chain must end',
      },
      {
        name: 'customers → stock → customers, reported at the other end too',
        mutate: (d) => {
          d['streams'].stock.partitions = { kind: 'parent', stream: 'customers', value: 'id' };
          d['streams'].customers.partitions = { kind: 'parent', stream: 'stock', value: 'location_id' };
        },
        pointer: '/streams/stock/partitions/stream',
      },
      {
        name: 'a stream that is its own parent',
        mutate: (d) => {
          d['streams'].stock.partitions = { kind: 'parent', stream: 'stock', value: 'sku' };
        },
        pointer: '/streams/stock/partitions/stream',
      },
    ],
    passing: [
      {
        name: 'a three-stream chain that ends',
        mutate: (d) => {
          d['streams'].stock.partitions = { kind: 'parent', stream: 'customers', value: 'id' };
          d['streams'].movements = { request: { path: '/stock/{{ $partition }}/movements' }, primaryKey: ['id'], partitions: { kind: 'parent', stream: 'stock', value: 'sku' } };
        },
      },
    ],
  },
  {
    code: DslCode.UnknownCanonicalType,
    severity: 'error',
    failing: [
      {
        name: 'a misspelled canonical type',
        mutate: (d) => {
          d['streams'].customers.canonical = 'commerce.custmer@1';
        },
        pointer: '/streams/customers/canonical',
        suggestion: 'commerce.customer@1',
        hint: 'listCanonicalTypes()',
      },
      {
        name: 'a version that does not exist',
        mutate: (d) => {
          d['streams'].customers.canonical = 'commerce.customer@2';
        },
        pointer: '/streams/customers/canonical',
        suggestion: 'commerce.customer@1',
      },
      {
        name: 'writes for a misspelled type',
        mutate: (d) => {
          d['writes'] = { 'crm.contct@1': { create: { ...structuredClone(CONTACT_CREATE), remoteIdPath: 'id' } } };
        },
        pointer: '/writes/crm.contct@1',
        suggestion: 'crm.contact@1',
      },
    ],
    passing: [
      {
        name: 'another real canonical type, and a raw stream without one',
        mutate: (d) => {
          d['streams'].orders = structuredClone(ORDERS_STREAM);
          d['streams'].raw_events = { request: { path: '/events' }, primaryKey: ['id'] };
        },
      },
    ],
  },
  {
    code: DslCode.UnknownCanonicalField,
    severity: 'error',
    failing: [
      {
        name: 'a misspelled mapped field',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.emial = { path: 'email' };
          delete d['streams'].customers.mapping.fields.email;
        },
        pointer: '/streams/customers/mapping/fields/emial',
        suggestion: 'email',
      },
      {
        name: 'a misspelled nested field',
        mutate: (d) => {
          d['streams'].customers.mapping.fields['totalSpent.amont'] = { path: 'total_spent' };
        },
        pointer: '/streams/customers/mapping/fields/totalSpent.amont',
        suggestion: 'totalSpent.amount',
      },
      {
        name: 'a write body reading a field the type does not have',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': { create: { request: { method: 'POST', path: '/contacts' }, body: { first_name: { path: 'firstNam' } }, remoteIdPath: 'id' } } };
        },
        pointer: '/writes/crm.contact@1/create/body/first_name/path',
        suggestion: 'firstName',
      },
      {
        name: 'a lookup by a field the type does not have',
        mutate: (d) => {
          d['writes'] = {
            'crm.contact@1': {
              create: structuredClone(CONTACT_CREATE),
              match: { kind: 'lookup', by: 'emals', request: { path: '/contacts/search' }, remoteIdPath: 'id' },
            },
          };
        },
        pointer: '/writes/crm.contact@1/match/by',
        suggestion: 'emails',
      },
    ],
    passing: [
      {
        name: 'nested fields and write bodies naming real fields',
        mutate: (d) => {
          d['streams'].customers.mapping.fields['totalSpent.amount'] = { path: 'total_spent' };
          d['streams'].customers.mapping.fields['defaultAddress.city'] = { path: 'default_address.city' };
          d['writes'] = {
            'crm.contact@1': {
              create: { request: { method: 'POST', path: '/contacts' }, body: { first_name: { path: 'firstName' }, 'name.last': { path: 'lastName' } }, remoteIdPath: 'id' },
              match: { kind: 'lookup', by: 'emails', request: { path: '/contacts/search' }, remoteIdPath: 'id' },
            },
          };
        },
      },
    ],
  },
  {
    code: DslCode.ReservedField,
    severity: 'error',
    failing: [
      {
        name: 'mapping "id"',
        mutate: (d) => {
          d['streams'].customers.mapping.fields.id = { path: 'id' };
        },
        pointer: '/streams/customers/mapping/fields/id',
        hint: 'The engine sets id',
      },
      {
        name: 'mapping "remote.id"',
        mutate: (d) => {
          d['streams'].customers.mapping.fields['remote.id'] = { path: 'id' };
        },
        pointer: '/streams/customers/mapping/fields/remote.id',
      },
    ],
    passing: [
      {
        name: 'the native id kept as a custom field; the primary key names it',
        mutate: (d) => {
          d['streams'].customers.mapping.custom = { id: { path: 'id' }, legacyId: { expr: '$string(legacy_id)' } };
        },
      },
    ],
  },
  {
    code: DslCode.MissingCanonicalField,
    severity: 'error',
    failing: [
      {
        name: 'an order stream that does not map currency',
        mutate: (d) => {
          d['streams'].orders = structuredClone(ORDERS_STREAM);
          delete d['streams'].orders.mapping.fields.currency;
        },
        pointer: '/streams/orders/mapping/fields',
      },
      {
        name: 'a customer stream that does not map state',
        mutate: (d) => {
          delete d['streams'].customers.mapping.fields.state;
        },
        pointer: '/streams/customers/mapping/fields',
        hint: 'may not',
      },
    ],
    passing: [
      {
        name: 'an order stream mapping currency as a constant and totals through nested fields',
        mutate: (d) => {
          d['streams'].orders = structuredClone(ORDERS_STREAM);
          d['streams'].orders.mapping.fields.currency = { const: 'EUR' };
        },
      },
    ],
  },
  {
    code: DslCode.KeyNotMapped,
    severity: 'error',
    failing: [
      {
        name: 'a stock level mapping without sku',
        mutate: (d) => {
          delete d['streams'].stock.mapping.fields.sku;
        },
        pointer: '/streams/stock/mapping/fields',
        hint: 'sku + locationId',
        // sku is required and non-nullable as well as part of the key
        alsoReports: [DslCode.MissingCanonicalField],
      },
      {
        name: 'a stock level mapping without locationId',
        mutate: (d) => {
          delete d['streams'].stock.mapping.fields.locationId;
        },
        pointer: '/streams/stock/mapping/fields',
        alsoReports: [DslCode.MissingCanonicalField],
      },
    ],
    passing: [
      {
        name: 'key fields computed by expressions',
        mutate: (d) => {
          d['streams'].stock.mapping.fields.sku = { expr: '$uppercase(sku)' };
          d['streams'].stock.mapping.fields.locationId = { expr: '$string($partition)' };
        },
      },
    ],
  },
  {
    code: DslCode.MissingMapping,
    severity: 'error',
    failing: [
      {
        name: 'a canonical stream without mapping',
        mutate: (d) => {
          delete d['streams'].customers.mapping;
        },
        pointer: '/streams/customers/mapping',
        hint: 'raw stream',
      },
    ],
    passing: [
      {
        name: 'a raw stream: no canonical type, no mapping',
        mutate: (d) => {
          delete d['streams'].customers.canonical;
          delete d['streams'].customers.mapping;
        },
      },
    ],
  },
  {
    code: DslCode.PaginationIncoherent,
    severity: 'error',
    failing: [
      {
        name: 'records.single with cursor pagination',
        mutate: (d) => {
          d['streams'].customers.records.single = true;
        },
        pointer: '/streams/customers/pagination/kind',
      },
      {
        name: 'the cursor parameter also set in the request query',
        mutate: (d) => {
          d['streams'].customers.request.query.cursor = 'first';
        },
        pointer: '/streams/customers/request/query/cursor',
        hint: 'Leave it to the paginator.',
      },
      {
        name: 'a POST read that is not marked as a search',
        mutate: (d) => {
          d['streams'].customers.request.method = 'POST';
        },
        pointer: '/streams/customers/request/search',
      },
      {
        name: 'a read stream using PUT',
        mutate: (d) => {
          d['streams'].customers.request.method = 'PUT';
        },
        pointer: '/streams/customers/request/method',
      },
      {
        name: 'offset and limit on the same parameter',
        mutate: (d) => {
          d['streams'].customers.pagination = { kind: 'offset', offsetParam: { in: 'query', name: 'skip' }, limitParam: { in: 'query', name: 'skip' }, limit: 50 };
        },
        pointer: '/streams/customers/pagination/limitParam/name',
      },
    ],
    passing: [
      {
        name: 'a single record without pagination, a POST search, offset with two parameters',
        mutate: (d) => {
          d['streams'].shop_info = { request: { path: '/shop' }, records: { path: 'shop', single: true }, primaryKey: ['id'], pagination: { kind: 'none' } };
          d['streams'].customers.request = { method: 'POST', path: '/customers/search', search: true, query: { status: 'any' } };
          d['streams'].stock.pagination = { kind: 'offset', offsetParam: { in: 'query', name: 'skip' }, limitParam: { in: 'query', name: 'take' }, limit: 50 };
        },
      },
      {
        name: 'a pagination parameter named like an Object.prototype member',
        mutate: (d) => {
          d['streams'].customers.pagination.param.name = 'toString';
        },
      },
    ],
  },
  {
    code: DslCode.ForbiddenName,
    severity: 'error',
    failing: [
      {
        name: 'a body cursor named __proto__.x on a POST search',
        mutate: (d) => {
          const customers = d['streams'].customers;
          customers.request = { method: 'POST', path: '/customers/search', search: true, body: { status: 'any' } };
          customers.pagination.param = { in: 'body', name: '__proto__.allowPrivateNetwork' };
        },
        pointer: '/streams/customers/pagination/param/name',
        hint: 'rename',
      },
      {
        name: 'an incremental body field through constructor.prototype',
        mutate: (d) => {
          const customers = d['streams'].customers;
          customers.request = { method: 'POST', path: '/customers/search', search: true, body: { status: 'any' } };
          customers.incremental.param = { in: 'body', name: 'filter.constructor.prototype' };
        },
        pointer: '/streams/customers/incremental/param/name',
      },
    ],
    passing: [
      {
        name: 'such names as query parameters and headers, which are not walked',
        mutate: (d) => {
          d['streams'].customers.pagination.param = { in: 'query', name: 'constructor' };
          d['streams'].customers.incremental.param = { in: 'header', name: 'X-Proto' };
        },
      },
    ],
  },
  {
    code: DslCode.BodyOnGet,
    severity: 'error',
    failing: [
      {
        name: 'the cursor parameter in the body of a GET',
        mutate: (d) => {
          d['streams'].customers.pagination.param.in = 'body';
        },
        pointer: '/streams/customers/pagination/param/in',
        hint: 'search',
      },
      {
        name: 'the page size in the body of a GET',
        mutate: (d) => {
          d['streams'].customers.pagination.pageSize.param.in = 'body';
        },
        pointer: '/streams/customers/pagination/pageSize/param/in',
      },
      {
        name: 'the incremental parameter in the body of a GET',
        mutate: (d) => {
          d['streams'].customers.incremental.param.in = 'body';
        },
        pointer: '/streams/customers/incremental/param/in',
      },
    ],
    passing: [
      {
        name: 'body placements on a POST search',
        mutate: (d) => {
          const customers = d['streams'].customers;
          customers.request = { method: 'POST', path: '/customers/search', search: true, body: { status: 'any' } };
          customers.pagination.param.in = 'body';
          customers.pagination.pageSize.param.in = 'body';
          customers.incremental.param = { in: 'body', name: 'filter.updated_since' };
        },
      },
      {
        name: 'header placement on a GET',
        mutate: (d) => {
          d['streams'].customers.pagination.param = { in: 'header', name: 'X-Cursor' };
        },
      },
    ],
  },
  {
    code: DslCode.WriteWithoutRemoteId,
    severity: 'error',
    failing: [
      {
        name: 'crm.contact@1 create without remoteIdPath',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': { create: structuredClone(CONTACT_CREATE) } };
        },
        pointer: '/writes/crm.contact@1/create/remoteIdPath',
        hint: 'remoteIdPath',
      },
      {
        name: 'upsert without remoteIdPath, matched by the id map',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': { upsert: { ...structuredClone(CONTACT_CREATE), request: { method: 'PUT', path: '/contacts' } }, match: { kind: 'idMap' } } };
        },
        pointer: '/writes/crm.contact@1/upsert/remoteIdPath',
      },
    ],
    passing: [
      {
        name: 'create with remoteIdPath',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': { create: { ...structuredClone(CONTACT_CREATE), remoteIdPath: 'data.id' } } };
        },
      },
      {
        name: 'create without remoteIdPath, matched by lookup',
        mutate: (d) => {
          d['writes'] = {
            'crm.contact@1': {
              create: structuredClone(CONTACT_CREATE),
              match: { kind: 'lookup', by: 'emails', request: { path: '/contacts', query: { email: '{{ $record.emails[0].address }}' } }, records: 'results', remoteIdPath: 'id' },
            },
          };
        },
      },
      {
        name: 'update and delete need no remoteIdPath',
        mutate: (d) => {
          d['writes'] = {
            'crm.contact@1': {
              update: { ...structuredClone(CONTACT_CREATE), request: { method: 'PATCH', path: '/contacts/{{ $remoteId }}' } },
              delete: { request: { method: 'DELETE', path: '/contacts/{{ $remoteId }}' } },
            },
          };
        },
      },
    ],
  },
  {
    code: DslCode.WriteWithoutTarget,
    severity: 'error',
    failing: [
      {
        name: 'writes with a match but no operation',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': { match: { kind: 'idMap' }, idempotencyKeyHeader: 'Idempotency-Key' } };
        },
        pointer: '/writes/crm.contact@1',
        hint: 'create, update, upsert',
      },
      {
        name: 'empty writes for a type',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': {} };
        },
        pointer: '/writes/crm.contact@1',
      },
    ],
    passing: [
      {
        name: 'delete-only writes',
        mutate: (d) => {
          d['writes'] = { 'crm.contact@1': { delete: { request: { method: 'DELETE', path: '/contacts/{{ $remoteId }}' } }, match: { kind: 'idMap' } } };
        },
      },
    ],
  },
  {
    code: DslCode.NoRateLimit,
    severity: 'warning',
    failing: [
      {
        name: 'no rateLimits',
        mutate: (d) => {
          delete d['rateLimits'];
        },
        pointer: '/rateLimits',
        hint: '429',
      },
    ],
    passing: [
      {
        name: 'rate limits from response headers only',
        mutate: (d) => {
          d['rateLimits'] = { headers: 'x-ratelimit' };
        },
      },
    ],
  },
  {
    code: DslCode.NoCheck,
    severity: 'warning',
    failing: [
      {
        name: 'no check',
        mutate: (d) => {
          delete d['check'];
        },
        pointer: '/check',
        hint: 'credentials',
      },
    ],
    passing: [
      {
        name: 'a check on another stream',
        mutate: (d) => {
          d['check'] = { stream: 'stock' };
        },
      },
    ],
  },
  {
    code: DslCode.FullRefresh,
    severity: 'warning',
    failing: [
      {
        name: 'a paginated stream without incremental',
        mutate: (d) => {
          delete d['streams'].customers.incremental;
        },
        pointer: '/streams/customers/incremental',
        hint: 'cursorField',
      },
    ],
    passing: [
      {
        name: 'an unpaginated stream without incremental',
        mutate: (d) => {
          delete d['streams'].customers.incremental;
          d['streams'].customers.pagination = { kind: 'none' };
          delete d['streams'].stock.incremental;
          delete d['streams'].stock.pagination;
        },
      },
    ],
  },
];

/** Codes of JSON text (validateDefinitionText), tested on text below rather than by mutating the object. */
const TEXT_CODES: Code[] = [DslCode.InvalidJson, DslCode.DuplicateKey];

describe('rule table', () => {
  it('covers every definition code (flow codes are in flow.test.ts)', () => {
    const covered = new Set([...RULES.map((rule) => rule.code), ...TEXT_CODES]);
    const expected = Object.values(DslCode).filter((code) => !code.startsWith('DSL_FLOW_'));
    expect([...covered].sort()).toEqual([...expected].sort());
    for (const rule of RULES) expect(rule.passing.length, rule.code).toBeGreaterThan(0);
    for (const rule of RULES.filter((r) => r.code !== DslCode.NotADocument)) expect(rule.failing.length, rule.code).toBeGreaterThan(0);
  });

  it('starts from a valid definition', () => {
    const result = validateDefinition(shopDefinition());
    expect(result).toEqual({ ok: true, errors: [], warnings: [] });
  });
});

for (const rule of RULES) {
  describe(rule.code, () => {
    for (const failing of rule.failing) {
      it(`reports ${failing.name}`, () => {
        const result = validate(failing.mutate);
        expectWellFormed(result);
        const list = rule.severity === 'error' ? result.errors : result.warnings;
        const found = list.filter((problem) => problem.code === rule.code && problem.pointer === failing.pointer);
        if (failing.repeats) expect(found.length, summary(result)).toBeGreaterThan(0);
        else expect(found, summary(result)).toHaveLength(1);
        const [problem] = found as [Problem];
        if (failing.suggestion !== undefined) expect(problem.suggestion).toBe(failing.suggestion ?? undefined);
        if (failing.hint !== undefined) expect(problem.hint).toContain(failing.hint);
        // One mistake, one kind of problem: nothing unrelated is reported.
        const allowed = new Set<string>([rule.code, ...(failing.alsoReports ?? [])]);
        expect(all(result).filter((other) => !allowed.has(other.code)), summary(result)).toEqual([]);
        if (rule.severity === 'warning') expect(result.ok).toBe(true);
      });
    }
    for (const passing of rule.passing) {
      it(`accepts ${passing.name}`, () => {
        const result = validate(passing.mutate);
        expectWellFormed(result);
        expect(all(result).filter((problem) => problem.code === rule.code)).toEqual([]);
        // The variants are fully legitimate: nothing else is reported either.
        expect(all(result), summary(result)).toEqual([]);
      });
    }
  });
}

describe(DslCode.TooDeep, () => {
  it('reports JSON text nested too deep with its line and column, before any recursive parser runs', () => {
    const text = `{\n"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    for (const validate of [validateDefinitionText, validateFlowText]) {
      const result = validate(text);
      expect(result.ok).toBe(false);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ code: DslCode.TooDeep, pointer: '', message: expect.stringContaining('line 2, column 69') });
    }
    // Brackets inside strings do not count.
    expect(validateDefinitionText(JSON.stringify({ ...shopDefinition(), name: '['.repeat(1000) })).errors.map((problem) => problem.code)).not.toContain(DslCode.TooDeep);
  });

  it('reports a flow nested too deep instead of overflowing', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    const result = validateFlow({ dsl: 'pullpush/flow/v1', id: 'x', steps: deep });
    expect(result.errors.map((problem) => problem.code)).toEqual([DslCode.TooDeep]);
  });
});

describe(DslCode.NotADocument, () => {
  it.each([null, [], 'pullpush/v1', 42, true, undefined])('reports %j at the root', (value) => {
    const result = validateDefinition(value);
    expect(result.ok).toBe(false);
    expect(result.warnings).toEqual([]);
    expect(result.errors).toHaveLength(1);
    const [problem] = result.errors as [Problem];
    expect(problem.code).toBe(DslCode.NotADocument);
    expect(problem.pointer).toBe('');
    expect(problem.message).toContain('JSON object');
    expect(problem.hint).toBeTruthy();
  });

  it('does not report an object, even an empty one', () => {
    const result = validateDefinition({});
    expectWellFormed(result);
    expect(all(result).map((problem) => problem.code)).not.toContain(DslCode.NotADocument);
    expect(result.errors.map((problem) => problem.pointer)).toEqual(expect.arrayContaining(['/dsl', '/id', '/name', '/version', '/http', '/auth', '/streams']));
  });
});

describe('codes of JSON text', () => {
  const text = () => JSON.stringify(shopDefinition(), null, 2);

  it(`${DslCode.InvalidJson}: reports a trailing comma at the root pointer, with line and column`, () => {
    const result = validateDefinitionText(text().replace('"check": {', '"check": {,'));
    expect(result.ok).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    for (const problem of result.errors) {
      expect(problem).toMatchObject({ code: DslCode.InvalidJson, pointer: '', severity: 'error' });
      expect(problem.message).toMatch(/line \d+, column \d+/);
      expect(problem.hint).toBeTruthy();
    }
  });

  it(`${DslCode.InvalidJson}: reports comments, which JSON does not have`, () => {
    const result = validateDefinitionText(text().replace('"dsl":', '// the version\n  "dsl":'));
    expect(result.errors.map((problem) => problem.code)).toContain(DslCode.InvalidJson);
  });

  it(`${DslCode.DuplicateKey}: reports a stream defined twice at its pointer`, () => {
    const result = validateDefinitionText(text().replace('"stock": {', '"customers": {'));
    const duplicates = result.errors.filter((problem) => problem.code === DslCode.DuplicateKey);
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]?.pointer).toBe('/streams/customers');
    expect(duplicates[0]?.message).toMatch(/line \d+, column \d+/);
  });

  it(`${DslCode.DuplicateKey}: escapes the pointer of a duplicated key with "/" and "~"`, () => {
    const result = validateDefinitionText(text().replace('"Accept": "application/json"', '"a/b~c": "1", "a/b~c": "2"'));
    expect(result.errors.filter((problem) => problem.code === DslCode.DuplicateKey).map((problem) => problem.pointer)).toEqual(['/http/headers/a~1b~0c']);
  });

  it('accepts the same text formatted any way, and equal keys in different objects', () => {
    for (const formatted of [text(), JSON.stringify(shopDefinition())]) {
      expect(validateDefinitionText(formatted)).toEqual({ ok: true, errors: [], warnings: [] });
    }
  });
});

describe('hints', () => {
  it.each<[Code, (definition: Definition) => void]>([
    [DslCode.UnknownKey, (d: Definition) => void (d['streams'].customers.paginaton = {})],
    [DslCode.SecretOutsideAuth, (d: Definition) => void (d['streams'].customers.request.query.key = '{{ $config.apiKey }}')],
    [DslCode.InsecureBaseUrl, (d: Definition) => void (d['http'].baseUrl = 'http://shop.example.com')],
    [DslCode.MissingField, (d: Definition) => void delete d['streams'].customers.request.path],
    [DslCode.NoRateLimit, (d: Definition) => void delete d['rateLimits']],
  ])('%s explains how to fix it', (code, mutate) => {
    const result = validate(mutate);
    const problem = all(result).find((p) => p.code === code);
    expect(problem, summary(result)).toBeDefined();
    expect(problem?.hint?.trim().length ?? 0).toBeGreaterThan(10);
  });
});

describe('several independent mistakes', () => {
  it('reports all of them at once, structural and semantic', () => {
    const definition = shopDefinition();
    definition['streams'].customers.paginaton = definition['streams'].customers.pagination;
    delete definition['streams'].customers.pagination;
    definition['auth'].kind = 'apikey';
    definition['http'].format = 'jsn';
    definition['http'].baseUrl = 'http://{{ $config.shpo }}.shop.example.com/api';
    definition['streams'].customers.request.query.key = '{{ $config.apiKey }}';
    definition['streams'].customers.mapping.fields.email = { expr: '$frobnicate(email)' };
    definition['streams'].customers.mapping.fields.id = { path: 'id' };
    definition['streams'].stock.canonical = 'commerce.stocklevl@1';
    definition['streams'].stock.partitions.key = 'locatons';
    definition['writes'] = { 'crm.contact@1': { create: structuredClone(CONTACT_CREATE) } };
    delete definition['check'];

    const result = validateDefinition(definition);
    expectWellFormed(result);
    const reported = (list: Problem[]) => list.map((problem) => `${problem.code} ${problem.pointer}`).sort();
    expect(reported(result.errors)).toEqual(
      [
        `${DslCode.UnknownKey} /streams/customers/paginaton`,
        `${DslCode.UnknownKind} /auth/kind`,
        `${DslCode.InvalidValue} /http/format`,
        `${DslCode.InsecureBaseUrl} /http/baseUrl`,
        `${DslCode.UnknownConfigKey} /http/baseUrl`,
        `${DslCode.SecretOutsideAuth} /streams/customers/request/query/key`,
        `${DslCode.UnknownFunction} /streams/customers/mapping/fields/email/expr`,
        `${DslCode.ReservedField} /streams/customers/mapping/fields/id`,
        `${DslCode.UnknownCanonicalType} /streams/stock/canonical`,
        `${DslCode.UnknownConfigKey} /streams/stock/partitions/key`,
        `${DslCode.WriteWithoutRemoteId} /writes/crm.contact@1/create/remoteIdPath`,
      ].sort(),
    );
    expect(reported(result.warnings)).toEqual([`${DslCode.NoCheck} /check`]);
    const suggestions = Object.fromEntries(all(result).filter((p) => p.suggestion !== undefined).map((p) => [`${p.code} ${p.pointer}`, p.suggestion]));
    expect(suggestions).toEqual({
      [`${DslCode.UnknownKey} /streams/customers/paginaton`]: 'pagination',
      [`${DslCode.UnknownKind} /auth/kind`]: 'apiKey',
      [`${DslCode.InvalidValue} /http/format`]: 'json',
      [`${DslCode.UnknownConfigKey} /http/baseUrl`]: 'shop',
      [`${DslCode.UnknownCanonicalType} /streams/stock/canonical`]: 'commerce.stocklevel@1',
      [`${DslCode.UnknownConfigKey} /streams/stock/partitions/key`]: 'locations',
    });
  });

  it('reports the same mistake in two streams once per stream', () => {
    const definition = shopDefinition();
    definition['streams'].customers.request.query.key = '{{ $config.apiKey }}';
    definition['streams'].stock.request.query = { key: '{{ $config.apiKey }}' };
    const result = validateDefinition(definition);
    expect(result.errors.map((problem) => problem.pointer).sort()).toEqual(['/streams/customers/request/query/key', '/streams/stock/request/query/key']);
  });
});

describe('allowInsecureHttp', () => {
  it('makes an http base URL a warning, when the embedding application allows plain http', () => {
    const definition = shopDefinition() as Definition;
    definition['http'].baseUrl = 'http://127.0.0.1:8080';
    expect(validateDefinition(definition).errors.map((problem) => problem.code)).toEqual([DslCode.InsecureBaseUrl]);
    const allowed = validateDefinition(definition, { allowInsecureHttp: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.warnings).toContainEqual(expect.objectContaining({ code: DslCode.InsecureBaseUrl, severity: 'warning', pointer: '/http/baseUrl' }));
  });
});
