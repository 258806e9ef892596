// explain_error: every stable error code of PullPush — definition validation (DSL_), the engine (ENGINE_), sync
// (SYNC_), discovery (DISCOVERY_), this server (MCP_) and the canonical model (CANONICAL_) — with what it means, its common causes, how
// to fix it and an example fix; tailored to the pointer and message of the failing report when given.
import { PullPushError, type CanonicalErrorCode } from '@pullpush/canonical';
import type { DiscoveryErrorCode } from '@pullpush/discovery';
import type { EngineErrorCode } from '@pullpush/engine';
import { DslCode } from '@pullpush/schema';
import type { SyncErrorCode } from '@pullpush/sync';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { defineTool, READ_ONLY } from '../tool.ts';
import { closestName, compact, FreeObject } from './schemas.ts';

interface Explanation {
  title: string;
  meaning: string;
  causes: readonly string[];
  fix: readonly string[];
  example: string;
  related?: readonly string[];
}

type CodeOf<T> = T[keyof T];

const DSL: Record<CodeOf<typeof DslCode>, Explanation> = {
  DSL_UNKNOWN_KEY: {
    title: 'Unknown key',
    meaning: 'The definition has a key the DSL does not define at that place. Definitions are closed: every key must be one the schema knows, so a typo never passes silently.',
    causes: ['A misspelled key (paginaton for pagination).', 'A key at the wrong level (pagination inside request instead of beside it).', 'A key from another format (Airbyte "paginator", OpenAPI "parameters").'],
    fix: ['Rename the key to the suggestion in the hint (did you mean …?).', 'Move it to the level where it belongs; the hint lists the keys allowed at that place.', 'Remove it if it has no DSL counterpart; get_connector_schema shows every key.'],
    example: 'update_definition with [{ "op": "move", "from": "/streams/items/paginaton", "path": "/streams/items/pagination" }]',
    related: ['DSL_MISSING_FIELD'],
  },
  DSL_MISSING_FIELD: {
    title: 'Missing required key',
    meaning: 'A key that must be present at that place is absent.',
    causes: ['A top-level key left out (dsl, id, name, version, http, streams).', 'A stream without request.path, or a kind-specific option missing (cursor pagination without cursor or param).'],
    fix: ['Add the key at the pointer; the hint says what it holds.', 'get_connector_schema describes each kind and its required options.'],
    example: 'update_definition with [{ "op": "add", "path": "/version", "value": "1.0.0" }]',
    related: ['DSL_UNKNOWN_KEY', 'DSL_INVALID_VALUE'],
  },
  DSL_INVALID_VALUE: {
    title: 'Invalid value',
    meaning: 'A value has the wrong type or shape for its place: a number where a string is required, a name that does not match its pattern, a value out of range, or a field mapping that is not { path }, { const } or { expr }.',
    causes: ['A version written as a number (1) instead of a semantic version string ("1.0.0").', 'An id or stream name with capitals or spaces (ids and stream names are slugs).', 'A field mapping with two forms at once ({ "path": …, "expr": … }).'],
    fix: ['Change the value at the pointer as the message says; the hint quotes the schema description.', 'Names: lower-case letters, digits, - and _ (streams: _ only), starting with a letter.'],
    example: '"version": 1 → "version": "1.0.0"; "streams": { "Orders": … } → "streams": { "orders": … }',
    related: ['DSL_UNKNOWN_KIND'],
  },
  DSL_UNKNOWN_KIND: {
    title: 'Unknown kind',
    meaning: 'A "kind" (of auth, pagination, partitions, a destination) is not one the DSL offers.',
    causes: ['A kind named as another tool names it (bearer_token, offset_increment, cursor_pagination).', 'A misspelling or wrong case (OAuth2 for oauth2ClientCredentials).'],
    fix: ['Use the kind the hint suggests; the message lists every allowed kind.', 'Auth kinds: none, apiKey, bearer, basic, oauth2ClientCredentials, oauth2RefreshToken, oauth2AuthorizationCode, session, headers. Pagination kinds: none, cursor, offset, page, link, nextUrl.'],
    example: '"auth": { "kind": "bearer_token", … } → "auth": { "kind": "bearer", "token": "{{ $config.apiKey }}" }',
    related: ['DSL_INVALID_VALUE'],
  },
  DSL_UNSUPPORTED_VERSION: {
    title: 'Unsupported DSL version',
    meaning: 'The document\'s "dsl" is not a version this release reads ("pullpush/v1" for definitions, "pullpush/flow/v1" for flows), and no migration leads from it.',
    causes: ['"dsl" missing or misspelled ("pullpush-v1", "v1").', 'A document written for a newer release of PullPush.'],
    fix: ['Set "dsl": "pullpush/v1" (flows: "pullpush/flow/v1") when the document follows v1.', 'Otherwise upgrade PullPush, or migrate it with migrateDefinition().'],
    example: 'update_definition with [{ "op": "replace", "path": "/dsl", "value": "pullpush/v1" }]',
  },
  DSL_INVALID_EXPRESSION: {
    title: 'Expression does not parse',
    meaning: 'A template ({{ … }} in text) or an expression (JSONata) cannot be parsed.',
    causes: ['Unbalanced braces: "{{ $config.apiKey }" or a stray "{{".', 'JavaScript syntax in JSONata (=== for =, && for and, || for or, `${}` templates).', 'Quotes not closed inside the expression.'],
    fix: ['Balance {{ }} in templates.', 'Write JSONata: = and != for comparison, and / or, & to join strings, condition ? a : b.', 'Try the expression on a sample at https://try.jsonata.org.'],
    example: '"token": "{{ $config.apiKey }" → "token": "{{ $config.apiKey }}"; "expr": "status === \'paid\'" → "expr": "status = \'paid\'"',
    related: ['DSL_UNKNOWN_FUNCTION', 'DSL_FORBIDDEN_VARIABLE', 'ENGINE_EXPRESSION'],
  },
  DSL_FORBIDDEN_VARIABLE: {
    title: 'Variable not available here',
    meaning: 'An expression uses a variable the place does not offer. Each place sees only some variables ($config, $state, $partition, $record, …) so secrets and state never leak where they could end up in URLs, logs or records.',
    causes: ['$record in a request (requests run before there is a record).', '$state outside requests and incremental settings.', 'A misspelled variable ($conf for $config).'],
    fix: ['list_template_variables shows what each place may use.', 'For one request per parent record, use partitions ({ "kind": "parent" }) and $partition in the request.'],
    example: '"path": "/orders/{{ $record.id }}/lines" → "partitions": { "kind": "parent", "stream": "orders", "value": "id" } with "path": "/orders/{{ $partition }}/lines"',
    related: ['DSL_SECRET_OUTSIDE_AUTH'],
  },
  DSL_UNKNOWN_FUNCTION: {
    title: 'Unknown function',
    meaning: 'An expression calls a function that is neither a JSONata built-in nor one bound in the expression with :=.',
    causes: ['A JavaScript or other-language function name ($toUpper, $parseInt, $now()).', 'A misspelled built-in ($lowerCase for $lowercase).'],
    fix: ['Use the JSONata built-in: $uppercase, $lowercase, $number, $string, $substring, $split, $join, $fromMillis, $toMillis, $round…', 'Or define it in the expression: ( $f := function($x) { … }; $f(a) ).'],
    example: '"expr": "$toUpper(currency)" → "expr": "$uppercase(currency)"',
    related: ['DSL_INVALID_EXPRESSION'],
  },
  DSL_FORBIDDEN_FUNCTION: {
    title: 'Function not allowed',
    meaning: 'An expression uses $eval, which evaluates text as an expression: an API could send that text (a "formula" field) and run it with the variables of the place it stands in.',
    causes: ['A mapping that evaluates a formula the API returns.', '$eval passed as a value ($map(formulas, $eval)).'],
    fix: ['Write the expression itself in the definition.', 'Keep the API\'s formula as data (a custom field holding the text).'],
    example: '"expr": "$eval(formula)" → "expr": "formula"',
    related: ['DSL_UNKNOWN_FUNCTION', 'DSL_SECRET_OUTSIDE_AUTH'],
  },
  DSL_FORBIDDEN_NAME: {
    title: 'Name that reaches the prototype',
    meaning: 'A body field placement names __proto__, constructor or prototype: writing it would change the prototype of every object in the process, with a value the API chose.',
    causes: ['A placement name such as "__proto__.x" or "filters.constructor.prototype".'],
    fix: ['Rename the body field; these three names are refused everywhere a path is written.'],
    example: '"param": { "in": "body", "name": "__proto__.cursor" } → "param": { "in": "body", "name": "page.cursor" }',
    related: ['DSL_INVALID_VALUE'],
  },
  DSL_TOO_DEEP: {
    title: 'Document nested too deep',
    meaning: 'A definition or flow is nested more than 64 levels deep. Validators, editors and the engine walk documents recursively; a deeper one is refused before any of them runs.',
    causes: ['A generated or hostile document (a request body nested thousands of levels).', 'A config schema or body built by a program that loops.'],
    fix: ['Flatten the value: request bodies and config schemas need only a few levels.'],
    example: '"body": { "a": { "a": { … } } } → "body": { "a": "…" }',
    related: ['DSL_INVALID_JSON'],
  },
  DSL_UNKNOWN_CONFIG_KEY: {
    title: 'Config key not declared',
    meaning: 'A template reads $config.<key> but the definition\'s config schema does not declare that key, so no connection could ever supply it.',
    causes: ['A misspelled key ($config.apikey for apiKey).', 'A key used before it was added to /config/properties.'],
    fix: ['Declare it under /config/properties (with "secret": true for credentials) and in "required" if it must be set.', 'Or correct the name to a declared key.'],
    example: 'update_definition with [{ "op": "add", "path": "/config/properties/subdomain", "value": { "type": "string", "description": "Your account subdomain." } }]',
    related: ['DSL_INVALID_CONFIG_SCHEMA', 'ENGINE_INVALID_CONFIG'],
  },
  DSL_INVALID_CONFIG_SCHEMA: {
    title: 'Config schema is not valid JSON Schema',
    meaning: 'The definition\'s "config" must be a JSON Schema (draft 2020-12) object describing the connection config; this one cannot be compiled.',
    causes: ['A type that JSON Schema does not have ("text", "int").', 'A "$schema" naming another draft.', '"required" that is not an array of names.'],
    fix: ['Write { "type": "object", "properties": { … }, "required": [ … ] } with JSON Schema types: string, number, integer, boolean, array, object.', 'Omit "$schema".'],
    example: '"apiKey": { "type": "text" } → "apiKey": { "type": "string", "secret": true }',
    related: ['DSL_UNKNOWN_CONFIG_KEY'],
  },
  DSL_SECRET_OUTSIDE_AUTH: {
    title: 'Secret used outside auth',
    meaning: 'A config key marked "secret": true is used somewhere other than auth (or the webhook signing secret). Secrets may only flow into auth, so they never reach URLs, logs, records or reports.',
    causes: ['An API key put in a request header or query parameter of a stream instead of in auth.', 'A secret in the base URL or a mapping.'],
    fix: ['Move it to auth: { "kind": "apiKey", "in": "header", "name": "X-Api-Key", "value": "{{ $config.apiKey }}" } or { "kind": "headers", … }.', 'If the value is not a secret (an account id), drop "secret": true from its config property.'],
    example: 'streams.x.request.headers["X-Api-Key"] = "{{ $config.apiKey }}" → "auth": { "kind": "apiKey", "in": "header", "name": "X-Api-Key", "value": "{{ $config.apiKey }}" }',
    related: ['DSL_FORBIDDEN_VARIABLE'],
  },
  DSL_INSECURE_BASE_URL: {
    title: 'Base URL is not https',
    meaning: 'The base URL does not start with https://. A definition may not ask for plain http: credentials would travel in clear text.',
    causes: ['An http:// URL copied from documentation.', 'A local test server (127.0.0.1) — only the application running the engine may allow http (allowInsecureHttp), never the definition.'],
    fix: ['Use the https:// URL of the API.', 'For a local test API keep the definition as it is for tests only: the MCP server / CLI engine options decide (map_record ignores this error).'],
    example: 'update_definition with [{ "op": "replace", "path": "/http/baseUrl", "value": "https://api.example.com/v1" }]',
    related: ['ENGINE_INSECURE_URL'],
  },
  DSL_UNKNOWN_STREAM: {
    title: 'Unknown stream',
    meaning: 'The definition refers to a stream that it does not define: the connection check, a parent of partitions, or a lookup.',
    causes: ['A misspelled stream name.', 'A stream renamed or removed while references to it stayed.'],
    fix: ['Use one of the stream names under /streams (the hint suggests the closest).'],
    example: '"check": { "stream": "customer" } → "check": { "stream": "customers" }',
    related: ['DSL_PARTITION_CYCLE', 'DSL_FLOW_UNKNOWN_STREAM'],
  },
  DSL_PARTITION_CYCLE: {
    title: 'Parent streams form a cycle',
    meaning: 'Partitions of kind "parent" chain streams (a child is read once per parent record); here the chain loops back, so no stream could be read first.',
    causes: ['Two streams naming each other as parent.', 'A stream naming itself as its parent.'],
    fix: ['Make the chain end at a stream without parent partitions (usually the top-level collection).'],
    example: 'orders → parent: lines and lines → parent: orders → drop partitions from orders.',
    related: ['DSL_UNKNOWN_STREAM', 'ENGINE_PARTITION_LIMIT'],
  },
  DSL_UNKNOWN_CANONICAL_TYPE: {
    title: 'Unknown canonical type',
    meaning: 'A stream\'s "canonical" (or a flow\'s match) names a canonical type that does not exist. Streams name a type with its version: commerce.order@1.',
    causes: ['A version left out (commerce.order) or wrong (commerce.order@2).', 'A misspelled or invented type (commerce.orders, shop.order).'],
    fix: ['list_canonical_types shows every type as name@version.', 'Drop "canonical" and "mapping" to make a raw stream when no type fits.'],
    example: '"canonical": "commerce.orders" → "canonical": "commerce.order@1"',
    related: ['CANONICAL_UNKNOWN_TYPE', 'DSL_UNKNOWN_CANONICAL_FIELD'],
  },
  DSL_UNKNOWN_CANONICAL_FIELD: {
    title: 'Unknown canonical field',
    meaning: 'A mapping (or a flow\'s match) names a field the canonical type does not have. Canonical records are closed; nested fields are dotted paths (totals.total).',
    causes: ['A native field name used as the canonical name (total_price for totals.total).', 'A field of another type, or a misspelling.', 'A source-specific field that the canonical model does not have.'],
    fix: ['get_canonical_type lists every field path.', 'Put source-specific values under mapping.custom instead.'],
    example: '"mapping": { "fields": { "total_price": … } } → "fields": { "totals.total": { "expr": "{ \'amount\': total_price, \'currency\': currency }" } }',
    related: ['DSL_MISSING_CANONICAL_FIELD', 'DSL_RESERVED_FIELD'],
  },
  DSL_RESERVED_FIELD: {
    title: 'Field filled by the engine',
    meaning: 'The mapping sets "id" or "remote". The engine fills them: id is the canonical key, remote the source identity (remote.id comes from the stream\'s primaryKey).',
    causes: ['Mapping the native id to "id" or "remote.id".'],
    fix: ['Remove the field from the mapping; set the stream\'s "primaryKey" to the native id path instead.'],
    example: 'update_definition with [{ "op": "remove", "path": "/streams/orders/mapping/fields/id" }] and "primaryKey": ["id"]',
    related: ['DSL_UNKNOWN_CANONICAL_FIELD'],
  },
  DSL_MISSING_CANONICAL_FIELD: {
    title: 'Required canonical field not mapped',
    meaning: 'The canonical type requires a field that cannot be null, and the mapping does not produce it. Fields that may be null default to null; this one may not.',
    causes: ['An enum field such as status left out.', 'A required currency or name not mapped.'],
    fix: ['Map the field; when the source has no such value, use a constant ({ "const": … }) that states it honestly (an enum\'s "other" with native null).'],
    example: '"status": { "expr": "{ \'value\': status in [\'open\', \'completed\'] ? status : \'other\', \'native\': status }" }',
    related: ['DSL_KEY_NOT_MAPPED', 'CANONICAL_INVALID_RECORD'],
  },
  DSL_KEY_NOT_MAPPED: {
    title: 'Key field not mapped',
    meaning: 'The canonical type has a natural key (stock levels: sku + locationId) and the mapping does not produce one of its fields, so records could not be identified.',
    causes: ['A key field left out of the mapping.'],
    fix: ['Map every key field named in the hint (get_canonical_type shows the key).'],
    example: '"locationId": { "expr": "$string(location_id)" }',
    related: ['CANONICAL_MISSING_KEY'],
  },
  DSL_MISSING_MAPPING: {
    title: 'Canonical stream without a mapping',
    meaning: 'A stream declares a canonical type but has no mapping, so the engine cannot turn its records into that type.',
    causes: ['A stream drafted with "canonical" before its mapping was written.'],
    fix: ['Add "mapping": { "fields": { … } } (suggest_mappings drafts one from a sample record).', 'Or drop "canonical" to make it a raw stream.'],
    example: 'update_definition with [{ "op": "add", "path": "/streams/orders/mapping", "value": { "fields": { "createdAt": { "path": "created_at" } } } }]',
  },
  DSL_PAGINATION_INCOHERENT: {
    title: 'Read settings contradict each other',
    meaning: 'A stream\'s request and pagination cannot work together as written.',
    causes: ['A read with POST that is not marked "search": true, or with PUT/PATCH/DELETE.', 'records.single (one record) combined with pagination.', 'A query parameter set both by the request and by the paginator.'],
    fix: ['Read with GET, or mark a search POST with "search": true.', 'Use { "kind": "none" } for single-record endpoints.', 'Leave paging parameters to the paginator.'],
    example: '"request": { "path": "/items", "query": { "page": "1" } } with page pagination → drop "page" from request.query.',
    related: ['ENGINE_PAGINATION_LOOP'],
  },
  DSL_BODY_ON_GET: {
    title: 'Body on a GET request',
    meaning: 'A paging or incremental parameter is placed in the body ("in": "body") of a request that has no body (GET or HEAD).',
    causes: ['A parameter copied from a POST search endpoint.'],
    fix: ['Use "in": "query" or "in": "header", or read with a POST search ("method": "POST", "search": true).'],
    example: '"param": { "in": "body", "name": "cursor" } → "param": { "in": "query", "name": "cursor" }',
  },
  DSL_WRITE_WITHOUT_REMOTE_ID: {
    title: 'Create without remote id',
    meaning: 'A create (or upsert) write does not say where the created record\'s id is in the response, so later updates and deletes could not find it.',
    causes: ['remoteIdPath left out of a create operation.'],
    fix: ['Set remoteIdPath to the id in the response body (id, data.id), or match records by a lookup.'],
    example: '"create": { "request": { "method": "POST", "path": "/customers" }, "remoteIdPath": "id" }',
    related: ['DSL_WRITE_WITHOUT_TARGET'],
  },
  DSL_WRITE_WITHOUT_TARGET: {
    title: 'Writes without operation',
    meaning: 'The writes for a canonical type define none of create, update, upsert or delete.',
    causes: ['An empty writes entry left from a draft.'],
    fix: ['Define at least one operation, or remove the entry.'],
    example: '"writes": { "crm.contact@1": {} } → "writes": { "crm.contact@1": { "create": { … } } }',
    related: ['DSL_WRITE_WITHOUT_REMOTE_ID', 'DSL_FLOW_NO_WRITES'],
  },
  DSL_FLOW_UNKNOWN_STREAM: {
    title: 'Flow names an unknown stream',
    meaning: 'A flow reads a stream the source connector definition does not have.',
    causes: ['A misspelled stream name.', 'The flow written for another connector.'],
    fix: ['Use a stream of the source definition (get_definition lists them; the hint suggests the closest).'],
    example: '"source": { "streams": ["customer"] } → "streams": ["customers"]',
    related: ['DSL_UNKNOWN_STREAM', 'SYNC_UNKNOWN_STREAM'],
  },
  DSL_FLOW_NO_WRITES: {
    title: 'Destination cannot write this',
    meaning: 'A flow sends records to another connector that has no writes for the canonical type the source produces, or does not offer an operation the flow allows.',
    causes: ['The destination connector only reads.', 'Types differ (source produces commerce.customer@1, destination writes crm.contact@1).'],
    fix: ['Add writes for that type to the destination definition, pick streams whose type it writes, or use a sqlite / jsonl destination.'],
    example: '"destination": { "kind": "connector", … } → "destination": { "kind": "sqlite", "path": "./pullpush.db" }',
    related: ['DSL_WRITE_WITHOUT_TARGET'],
  },
  DSL_FLOW_SCHEDULE: {
    title: 'Schedule incoherent',
    meaning: 'A flow\'s schedule must set exactly one of "every" (30s, 15m, 1h, 1d) and "cron" (five fields, UTC).',
    causes: ['Both every and cron set.', 'An empty schedule object.'],
    fix: ['Keep one of them, or remove the schedule to run the flow only on demand.'],
    example: '"schedule": { "every": "15m", "cron": "*/15 * * * *" } → "schedule": { "every": "15m" }',
  },
  DSL_FLOW_SHADOW_DESTINATION: {
    title: 'Shadow mode needs a connector destination',
    meaning: 'A flow in shadow mode works out what it would write by comparing with what the destination holds, which only a connector destination can be asked; a sqlite, jsonl or postgres destination has no shadow mode.',
    causes: ['mode "shadow" on a flow into SQLite or JSON Lines.'],
    fix: ['Set mode to "live" or "paused", or send the flow to a connector with writes.'],
    example: '"mode": "shadow" → "mode": "live"',
    related: ['SYNC_FLOW_PAUSED'],
  },
  DSL_NO_RATE_LIMIT: {
    title: 'No rate limit declared (warning)',
    meaning: 'The definition declares no request budget. The engine still honours 429 and Retry-After, but syncs will hit the limit before slowing down.',
    causes: ['rateLimits left out of a draft.'],
    fix: ['Declare the API\'s documented budget: "rateLimits": { "budgets": [{ "requests": 100, "perSeconds": 60 }] }.'],
    example: '"rateLimits": { "budgets": [{ "requests": 25, "perSeconds": 1 }], "maxConcurrency": 4 }',
  },
  DSL_NO_CHECK: {
    title: 'No connection check (warning)',
    meaning: 'The definition does not name a cheap stream whose first page proves that the credentials work; connection tests must guess.',
    causes: ['"check" left out.'],
    fix: ['Add "check": { "stream": "<a small stream>" }.'],
    example: '"check": { "stream": "locations" }',
  },
  DSL_FULL_REFRESH: {
    title: 'Paginated stream read in full (warning)',
    meaning: 'A paginated stream has no incremental settings, so every sync reads all of it again.',
    causes: ['The API can filter by update time but "incremental" is not declared.', 'The API cannot filter (then the warning is expected).'],
    fix: ['Declare "incremental": { "cursorField": "updated_at", "param": { "in": "query", "name": "updated_since" } } when the API supports it.'],
    example: '"incremental": { "cursorField": "updated_at", "format": "iso8601", "param": { "in": "query", "name": "updated_at_min" } }',
  },
  DSL_NOT_A_DOCUMENT: {
    title: 'Not a JSON object',
    meaning: 'The document is not a JSON object at the top level (an array, a string, null).',
    causes: ['A definition wrapped in an array, or passed as a JSON string instead of an object.'],
    fix: ['Pass the definition object itself: { "dsl": "pullpush/v1", "id": …, … }.'],
    example: '"document": "{\\"dsl\\": …}" → "document": { "dsl": "pullpush/v1", … }',
    related: ['DSL_INVALID_JSON'],
  },
  DSL_INVALID_JSON: {
    title: 'Not valid JSON',
    meaning: 'The definition text does not parse as JSON.',
    causes: ['Comments or trailing commas (JSONC / JSON5 habits).', 'Single quotes around keys or strings.'],
    fix: ['Remove comments and trailing commas; use double quotes.'],
    example: '{ "id": "shop", } → { "id": "shop" }',
    related: ['DSL_DUPLICATE_KEY'],
  },
  DSL_DUPLICATE_KEY: {
    title: 'Duplicate key',
    meaning: 'The same key appears twice in one object of the JSON text; JSON parsers keep only the last one, silently losing the first.',
    causes: ['Two streams with the same name.', 'A key added again while editing.'],
    fix: ['Merge the two entries or rename one of them.'],
    example: '"streams": { "orders": {…}, "orders": {…} } → "streams": { "orders": {…}, "archived_orders": {…} }',
  },
};

const ENGINE: Record<CodeOf<typeof EngineErrorCode>, Explanation> = {
  ENGINE_INVALID_DEFINITION: {
    title: 'Definition has errors',
    meaning: 'The engine refused to compile the definition because it does not validate. Nothing was sent.',
    causes: ['A definition saved with validation errors (create_definition stores it anyway).'],
    fix: ['validate_definition shows every error at its pointer; fix them with update_definition.'],
    example: 'validate_definition { "definition": "shop" } → update_definition { "definition": "shop", "patch": [ … ] }',
    related: ['DSL_UNKNOWN_KEY', 'DSL_MISSING_FIELD'],
  },
  ENGINE_INVALID_CONFIG: {
    title: 'Connection config does not match',
    meaning: 'The connection config does not satisfy the definition\'s config schema: a required value is missing or has the wrong type.',
    causes: ['A connection created before a config key became required.', 'A value of the wrong type ("42" for an integer).', 'A key named differently from the definition (api_key for apiKey).'],
    fix: ['Create the connection with every required config value (get_definition shows /config).', 'Rotate or recreate the connection with the right names and types.'],
    example: 'create_connection { "connection": "acme", "definition": "shop", "config": {}, "secretsFrom": { "apiKey": { "env": "PULLPUSH_ACME_API_KEY" } } }',
    related: ['DSL_UNKNOWN_CONFIG_KEY', 'SYNC_INVALID_CONFIG'],
  },
  ENGINE_INVALID_URL: {
    title: 'Not a URL',
    meaning: 'A URL given to the engine to fetch (an API description for discover_api) does not parse as an absolute URL.',
    causes: ['A relative path or a bare host name where a full URL was expected.', 'A typo in the scheme (htps://).'],
    fix: ['Give the absolute https URL of the document: https://api.example.com/openapi.json.'],
    example: 'discover_api { "url": "https://api.example.com/openapi.json" }',
    related: ['ENGINE_INSECURE_URL'],
  },
  ENGINE_HOST_NOT_ALLOWED: {
    title: 'Host not allowed',
    meaning: 'A request (or a next-page URL) would go to a host the definition does not declare. Requests go only to the base URL host and http.allowedHosts, so credentials never leak elsewhere.',
    causes: ['An absolute URL in a path or a "next" link on another host (a CDN, another API domain).', 'A token URL on an auth host not listed.'],
    fix: ['Add the host to http.allowedHosts when it belongs to the API.', 'Use paths relative to the base URL.'],
    example: '"http": { "baseUrl": "https://api.example.com", "allowedHosts": ["auth.example.com"] }',
    related: ['ENGINE_REDIRECT_REFUSED', 'ENGINE_PRIVATE_ADDRESS'],
  },
  ENGINE_PRIVATE_ADDRESS: {
    title: 'Private address refused',
    meaning: 'The host is, or resolves to, a private, loopback or reserved address. The engine refuses them unless the embedding application allows it (allowPrivateNetwork), to prevent server-side request forgery.',
    causes: ['A test API on 127.0.0.1 or a LAN host.', 'A public name that resolves to an internal address.'],
    fix: ['Use the public API host.', 'For local tests, start the server with engine option allowPrivateNetwork: "loopback" (not something a definition can set).'],
    example: 'createPullPushServer({ engine: { allowPrivateNetwork: "loopback", allowInsecureHttp: true } }) for a testkit API',
    related: ['ENGINE_INSECURE_URL', 'ENGINE_HOST_NOT_ALLOWED'],
  },
  ENGINE_INSECURE_URL: {
    title: 'Plain http refused',
    meaning: 'The engine only sends requests over https unless the embedding application allows plain http (allowInsecureHttp).',
    causes: ['An http:// base URL, token URL or next link.'],
    fix: ['Use https.', 'For a local test server, set the engine option allowInsecureHttp in the application, not in the definition.'],
    example: '"baseUrl": "http://api.example.com" → "baseUrl": "https://api.example.com"',
    related: ['DSL_INSECURE_BASE_URL', 'ENGINE_PRIVATE_ADDRESS'],
  },
  ENGINE_REDIRECT_REFUSED: {
    title: 'Redirect refused',
    meaning: 'The API answered with a redirect the engine does not follow: to another host (credentials must not follow it) or more redirects than allowed.',
    causes: ['A base URL without the canonical host (example.com for api.example.com).', 'http → https or trailing-slash redirects chained.', 'A redirect to a login page.'],
    fix: ['Use the final URL as the base URL or path.', 'Add the target host to http.allowedHosts if it belongs to the API.'],
    example: '"baseUrl": "https://example.com/api" → "baseUrl": "https://api.example.com"',
    related: ['ENGINE_HOST_NOT_ALLOWED'],
  },
  ENGINE_RESPONSE_TOO_LARGE: {
    title: 'Response too large',
    meaning: 'A response exceeded the engine\'s size bound (maxResponseBytes), so reading stopped to keep memory flat.',
    causes: ['Pages that are too big (a large pageSize, or no paging at all).', 'An endpoint that returns a file or an export.'],
    fix: ['Ask for smaller pages (pagination pageSize).', 'Raise maxResponseBytes in the engine options if the size is expected.'],
    example: '"pageSize": { "param": { "in": "query", "name": "limit" }, "value": 1000 } → "value": 100',
  },
  ENGINE_HTTP_STATUS: {
    title: 'API answered an error status',
    meaning: 'A request got an error status that was not retried away or handled by a response filter. The message has the method, the redacted URL, the status and a snippet of the body.',
    causes: ['401/403: wrong, expired or under-scoped credentials.', '404: wrong path or base URL (a missing /v1), or an id that does not exist.', '400/422: a parameter the API rejects (wrong name, format, or page size).', '5xx: the API failed even after retries.'],
    fix: ['401/403: check the connection\'s secret and the key\'s permissions; rotate_secret if needed.', '404/400: compare the resolved URL with the API documentation.', 'Statuses that mean "no data" (404 for an empty sub-resource) can be handled with a responseFilter { "status": [404], "action": "ignore" }.'],
    example: '"responseFilters": [{ "status": [404], "action": "ignore" }]',
    related: ['ENGINE_AUTH', 'ENGINE_TIMEOUT'],
  },
  ENGINE_NETWORK: {
    title: 'Network failure',
    meaning: 'The request failed below HTTP: DNS did not resolve, the connection was refused or reset, or TLS failed — after the retries.',
    causes: ['A misspelled host in the base URL.', 'The API or a proxy is down; no network access from this machine.', 'A TLS certificate the runtime does not trust.'],
    fix: ['Check the base URL host; try it from this machine.', 'Retry later if the API is down.'],
    example: '"baseUrl": "https://api.exmaple.com" → "baseUrl": "https://api.example.com"',
    related: ['ENGINE_TIMEOUT'],
  },
  ENGINE_TIMEOUT: {
    title: 'Request timed out',
    meaning: 'A request took longer than its timeout (http.timeoutMs, default 30 s) or the deadline of all its retries.',
    causes: ['Pages too large for the API to answer in time.', 'A slow or overloaded API.'],
    fix: ['Ask for smaller pages, or raise http.timeoutMs.', 'Retry later.'],
    example: '"http": { "baseUrl": "https://api.example.com", "timeoutMs": 60000 }',
    related: ['ENGINE_NETWORK'],
  },
  ENGINE_INVALID_BODY: {
    title: 'Response body does not parse',
    meaning: 'The response body is not in the format the definition declares (http.format: json, jsonl or csv).',
    causes: ['An HTML error or login page with status 200.', 'A CSV or JSON Lines endpoint read as JSON (or the reverse).', 'A truncated response.'],
    fix: ['Check the URL in the message: an HTML page usually means a wrong path or missing auth.', 'Set http.format to what the endpoint returns.'],
    example: '"http": { "baseUrl": "https://api.example.com", "format": "jsonl" }',
    related: ['ENGINE_HTTP_STATUS'],
  },
  ENGINE_EXPRESSION: {
    title: 'Expression failed',
    meaning: 'A JSONata expression or template could not be compiled or failed while evaluating on real data (the message names its place).',
    causes: ['A function applied to the wrong type ($substring on a number, arithmetic on a string).', 'A value missing in this record that the expression assumes present.', 'An expression that did not parse (validate first).'],
    fix: ['Guard missing values: x = null ? null : …; convert types with $string / $number.', 'map_record runs one record through the mapping and shows the failing pointer.'],
    example: '"expr": "$substring(created, 0, 10)" with a numeric created → "expr": "$substring($string(created), 0, 10)"',
    related: ['DSL_INVALID_EXPRESSION'],
  },
  ENGINE_PAGINATION_LOOP: {
    title: 'Pagination loop',
    meaning: 'The API returned the same cursor, next URL or page twice, so the engine stopped instead of reading the same pages forever.',
    causes: ['The cursor path reads a value that does not change (the first record\'s id instead of the last, data[0].id for data[-1].id).', 'The parameter name is wrong, so the API ignores it and returns the first page again.', 'A stop condition missing: the API keeps returning its last cursor on the final page.'],
    fix: ['Compare the cursor path and parameter with the API documentation and one real response (test_connector shows the pages).', 'Add stopWhen (e.g. "$not(has_more)") when the API signals the end in the body.'],
    example: '"cursor": { "from": "body", "path": "data[0].id" } → "cursor": { "from": "body", "path": "data[-1].id" }, "stopWhen": "$not(has_more)"',
    related: ['DSL_PAGINATION_INCOHERENT', 'ENGINE_PAGE_LIMIT'],
  },
  ENGINE_INCOMPLETE_READ: {
    title: 'Incomplete read',
    meaning: 'A read ended before the end the API announced: fewer records than its total, fewer pages than its page count, or no cursor or next URL while stopWhen said more records exist. The read is an error, never a success on partial data, and the incremental cursor does not move.',
    causes: [
      'Records were deleted (or added) while the read paged by offset, so the total moved.',
      'The total or page count is read from the wrong place (it counts something else than the listed records).',
      'The cursor path or stopWhen does not match how the API signals more pages.',
    ],
    fix: ['Run the read again: a total that moved during the read settles.', 'Check pagination.total / totalPages / stopWhen / cursor against one real response (test_connector shows the pages).', 'Prefer cursor (keyset) paging where the API offers it: it does not drift while records change.'],
    example: '"total": { "from": "body", "path": "meta.total_pages" } → "totalPages": { "from": "body", "path": "meta.total_pages" }',
    related: ['ENGINE_PAGINATION_LOOP', 'ENGINE_PAGE_LIMIT'],
  },
  ENGINE_CURSOR: {
    title: 'Unreadable incremental cursor',
    meaning: 'A record\'s cursor field, the stored cursor or the start date is not a value of the declared incremental.format, so the engine cannot tell what changed since.',
    causes: ['incremental.format does not match the field (iso8601 for a unix timestamp, or the other way round).', 'incremental.cursorField points at a field of another kind (a name, an id).'],
    fix: ['Set incremental.format to how the API writes the field: iso8601, unixSeconds, unixMillis or date.', 'Point incremental.cursorField at the field that grows with each change (updated_at).'],
    example: '"incremental": { "cursorField": "updated", "format": "iso8601" } → "format": "unixSeconds" for "updated": 1767225600',
    related: ['ENGINE_INCOMPLETE_READ'],
  },
  ENGINE_PAGE_LIMIT: {
    title: 'Page limit reached',
    meaning: 'A read reached the bound of 100,000 pages per partition, so it stopped there and is incomplete (an error, never a success). Limits a caller sets on purpose (test runs) end a read normally instead.',
    causes: ['A stop condition that never becomes true, so paging never ends.', 'A page size far smaller than the API allows.'],
    fix: ['Check that pagination stops on the last page (stopWhen, totals).', 'Use a larger page size, or partition the stream.'],
    example: '"pageSize": { "param": { "in": "query", "name": "per_page" }, "value": 100 }',
    related: ['ENGINE_PAGINATION_LOOP'],
  },
  ENGINE_PARTITION_LIMIT: {
    title: 'Too many partitions',
    meaning: 'A partitioned stream produced more than 10,000 partitions, so the read was refused rather than run without a bound.',
    causes: ['A parent stream with very many records used as partitions.', 'A config list of partitions that is too long.'],
    fix: ['Narrow the partitions (filter the parent stream), or read the child collection directly.'],
    example: 'Read /orders?updated_since=… directly instead of one request per customer.',
    related: ['DSL_PARTITION_CYCLE'],
  },
  ENGINE_AUTH: {
    title: 'Authentication failed',
    meaning: 'The auth step did not yield credentials: the token endpoint refused, a refresh failed, a session login failed, or its response had no token where the definition says.',
    causes: ['Wrong client id / secret or refresh token (revoked, rotated, expired).', 'A token URL or tokenPath that does not match the API.', 'Scopes the account may not have.'],
    fix: ['Check the secrets of the connection (rotate_secret to replace one).', 'Check tokenUrl, scopes and the path to the token in the login response.'],
    example: '"auth": { "kind": "oauth2ClientCredentials", "tokenUrl": "https://auth.example.com/oauth/token", "clientId": "{{ $config.clientId }}", "clientSecret": "{{ $config.clientSecret }}" }',
    related: ['ENGINE_HTTP_STATUS', 'MCP_SECRET_KEY'],
  },
  ENGINE_UNKNOWN_STREAM: {
    title: 'Unknown stream',
    meaning: 'A stream was asked for that the definition does not have (or, for map_record, that has no canonical mapping).',
    causes: ['A misspelled stream name.', 'A raw stream (no canonical type) given to a tool that maps records.'],
    fix: ['Use a stream from the hint (list_definitions shows every stream).', 'Give the stream "canonical" and "mapping" to map it.'],
    example: 'map_record { "definition": "shop", "stream": "order", … } → "stream": "orders"',
    related: ['SYNC_UNKNOWN_STREAM', 'DSL_FLOW_UNKNOWN_STREAM'],
  },
  ENGINE_READ_ONLY: {
    title: 'Write refused in a read-only run',
    meaning: 'A test run is read-only: it never sends a write. A request with a writing method was refused.',
    causes: ['A stream that reads with POST without "search": true.', 'A write operation triggered during a test.', 'A GET carrying a method override (X-HTTP-Method-Override, X-HTTP-Method, a _method parameter) that asks for another method.'],
    fix: ['Mark search endpoints with "search": true; test writes against a sandbox with a real sync instead.'],
    example: '"request": { "method": "POST", "path": "/search", "search": true }',
    related: ['DSL_PAGINATION_INCOHERENT'],
  },
  ENGINE_UNSAFE_PATH_VALUE: {
    title: 'Value that would change the request path',
    meaning: 'A value placed in a URL path (a partition, a parent record field, a config value) is "." or "..", which a URL resolves: the request would go to another path than the definition says.',
    causes: ['An API that returns ".." (or "%2e%2e") where a name or id belongs.', 'A config value of "." or "..".'],
    fix: ['Partition by a field that holds ids, or filter the parent records (records.filter) so such values are not used.'],
    example: '"partitions": { "kind": "parent", "stream": "projects", "value": "id" }',
    related: ['ENGINE_PARTITION_LIMIT'],
  },
  ENGINE_CURSOR_TOO_LARGE: {
    title: 'Cursor or next link too large',
    meaning: 'The API returned a cursor or next link longer than 64 KiB. The engine follows no such value: it bounds the memory a read keeps and the size of the requests it sends.',
    causes: ['A cursor path that points at a field holding data rather than the continuation token.', 'A hostile or broken API.'],
    fix: ['Point pagination.cursor.path (or the next-link path) at the token itself.'],
    example: '"cursor": { "from": "body", "path": "meta.next_cursor" }',
    related: ['ENGINE_PAGINATION_LOOP', 'ENGINE_INCOMPLETE_READ'],
  },
  ENGINE_INTERNAL: {
    title: 'Internal engine error',
    meaning: 'The engine and the DSL schema disagree about an expression site: a bug of @pullpush/engine, not of the definition.',
    causes: ['A DSL part added to the schema whose runtime evaluates it with other variables than the schema declares.'],
    fix: ['Report it with the definition; meanwhile validate_definition shows whether the definition itself is valid.'],
    example: 'ENGINE_INTERNAL: /streams/orders/records/path is declared in context "records" but evaluated in "mapping".',
    related: ['ENGINE_INVALID_DEFINITION'],
  },
  ENGINE_CLOSED: {
    title: 'Connector closed',
    meaning: 'The compiled connector was used after close(); it holds no connections any more.',
    causes: ['A read started after the run ended or was cancelled.'],
    fix: ['Start a new run (the tools compile a fresh connector each time).'],
    example: 'Call test_connector or run_sync again.',
  },
  ENGINE_WRITE_UNSUPPORTED: {
    title: 'Not a write the destination declares',
    meaning: "The destination definition's writes have no entry for this canonical type, or not this operation for it.",
    causes: ['The definition is a source only (no writes section).', 'The type or version differs (crm.contact@1 against commerce.customer@1).', 'The operation (update, delete) is not declared.'],
    fix: ['Add the type and operation to writes, with its request and body mapping.'],
    example: '"writes": { "commerce.customer@1": { "create": { "request": { "method": "POST", "path": "/customers" }, "body": { "email": { "path": "email" } }, "remoteIdPath": "id" } } }',
    related: ['ENGINE_WRITE_NEEDS_REMOTE_ID'],
  },
  ENGINE_WRITE_INVALID_RECORD: {
    title: 'Record to write is not valid',
    meaning: 'The record does not fit its canonical type, so nothing was sent to the destination.',
    causes: ["The source's mapping produced a value the type refuses (an enum value, a missing required field).", 'A hand-made record without the identity fields.'],
    fix: ['Fix the source mapping (map_record shows the issues with their pointers).'],
    example: 'validate_canonical on the record lists every issue.',
    related: ['CANONICAL_INVALID_RECORD'],
  },
  ENGINE_WRITE_NEEDS_REMOTE_ID: {
    title: 'Remote id needed',
    meaning: "The operation's request uses $remoteId (update, delete by id), and no remote id was given.",
    causes: ['The record was never written through this destination, so no id map knows it.', 'No lookup (writes.match) to find it.'],
    fix: ['Declare writes.match as a lookup by a unique field (email, sku), or keep the ids that creates return.'],
    example: '"match": { "kind": "lookup", "by": "email", "request": { "path": "/customers", "query": { "email": "{{ $record.email }}" } }, "records": "data", "remoteIdPath": "id" }',
    related: ['ENGINE_WRITE_UNSUPPORTED'],
  },
  ENGINE_WRITE_FAILED: {
    title: 'Destination refused the write',
    meaning: "The destination answered the write with an error status; the message names the operation, the record's canonical key, the URL, the status and the start of the answer.",
    causes: ['409: the record exists already.', '400/422: the body misses a field or has a wrong value.', '401/403: the credentials or their permissions.', '5xx on a create without an idempotency key: not retried, since it might apply twice.'],
    fix: ['409: look the record up and update it.', '400/422: fix the write body mapping.', 'Declare idempotencyKeyHeader so a create may be retried safely.'],
    example: '"idempotencyKeyHeader": "Idempotency-Key"',
    related: ['ENGINE_WRITE_AMBIGUOUS'],
  },
  ENGINE_WRITE_AMBIGUOUS: {
    title: 'Write outcome unknown',
    meaning: 'A create without an idempotency key got no answer (the connection dropped, a timeout): the destination may have applied it, so it was not sent again.',
    causes: ['A network failure or a timeout after the request was sent.'],
    fix: ['Look the record up (its lookup) before writing again.', 'Declare idempotencyKeyHeader, when the API supports one, so such a write is retried safely.'],
    example: '"idempotencyKeyHeader": "Idempotency-Key"',
    related: ['ENGINE_WRITE_FAILED', 'ENGINE_TIMEOUT'],
  },
  ENGINE_WRITE_NO_REMOTE_ID: {
    title: 'No remote id in the answer',
    meaning: "The create was accepted, but remoteIdPath finds no id in the destination's answer.",
    causes: ['remoteIdPath does not match the answer (data.id against id).', 'The API answers 202 or 204 without a body.'],
    fix: ['Point remoteIdPath at the id in the answer; the record was created, so look it up before writing again.'],
    example: '"remoteIdPath": "data.id"',
    related: ['ENGINE_WRITE_NEEDS_REMOTE_ID'],
  },
  ENGINE_WRITE_LOOKUP_AMBIGUOUS: {
    title: 'Lookup found several records',
    meaning: 'The lookup (writes.match) must find at most one record, and found more.',
    causes: ['The lookup field is not unique at the destination.', 'The lookup request does not filter by it.'],
    fix: ['Look up by a unique field and filter the request by its value.'],
    example: '"query": { "email": "{{ $record.email }}" }',
    related: ['ENGINE_WRITE_NEEDS_REMOTE_ID'],
  },
};

const SYNC: Record<CodeOf<typeof SyncErrorCode>, Explanation> = {
  SYNC_INVALID_DESTINATION: {
    title: 'Invalid destination',
    meaning: 'The destination cannot be opened: its text is not a destination, its kind is not supported by this version, or its path uses an environment variable that is not set.',
    causes: ['A destination written as a bare path instead of sqlite:<file> or jsonl:<file>.', 'A postgres or connector destination where only sqlite and jsonl are supported.', '$env.NAME in the path with NAME unset.'],
    fix: ['Write sqlite:./pullpush.db, jsonl:./out.jsonl or jsonl:- (standard output).', 'Set the environment variable the flow names.'],
    example: '"destination": "./out.db" → "destination": "sqlite:./out.db"',
    related: ['SYNC_INVALID_FLOW'],
  },
  SYNC_INVALID_FLOW: {
    title: 'Invalid flow',
    meaning: 'A flow was run that does not validate; the issues list every problem with its pointer.',
    causes: ['A flow edited by hand after create_flow validated it.', 'A source stream removed from the definition since.'],
    fix: ['validate_definition { "kind": "flow", "document": … } shows every problem; create_flow again with replace: true.'],
    example: 'create_flow { "flow": { … fixed … }, "replace": true }',
    related: ['DSL_FLOW_UNKNOWN_STREAM', 'DSL_FLOW_SCHEDULE'],
  },
  SYNC_INVALID_CONFIG: {
    title: 'Config value from the environment does not parse',
    meaning: 'A connection config value read from an environment variable does not read as the type the config schema declares.',
    causes: ['A number or boolean variable holding text ("yes" for true).', 'An array or object variable not written as JSON.'],
    fix: ['Write numbers and booleans as literals (42, true) and arrays / objects as JSON.'],
    example: 'PULLPUSH_SHOP_REGIONS=eu,us → PULLPUSH_SHOP_REGIONS=["eu","us"]',
    related: ['SYNC_CONFIG_FILE', 'ENGINE_INVALID_CONFIG'],
  },
  SYNC_CONFIG_FILE: {
    title: 'Config file unreadable',
    meaning: 'The connection config file cannot be read, is not valid JSON, or does not hold a JSON object.',
    causes: ['A wrong path.', 'Comments or trailing commas in the file.', 'A JSON array or string instead of an object.'],
    fix: ['Pass the path of a JSON file holding one object: {"apiKey": "…"}; or set the values as environment variables.'],
    example: 'config.json: {"apiKey": "sk_test_…", "startDate": "2024-01-01T00:00:00Z"}',
    related: ['SYNC_INVALID_CONFIG'],
  },
  SYNC_UNKNOWN_STREAM: {
    title: 'Sync names an unknown stream',
    meaning: 'The sync asks for a stream the connector does not have.',
    causes: ['A misspelled stream.', 'A stream removed from the definition.'],
    fix: ['Use a stream named in the hint.'],
    example: 'run_sync { "connection": "acme", "streams": ["order"] } → "streams": ["orders"]',
    related: ['ENGINE_UNKNOWN_STREAM', 'DSL_FLOW_UNKNOWN_STREAM'],
  },
  SYNC_DATABASE: {
    title: 'Database failure',
    meaning: 'The SQLite file could not be opened or a batch could not be written. A failed batch is not written at all and its checkpoint does not move, so a rerun continues where it stopped.',
    causes: ['The directory is not writable, or the disk is full.', 'The file is not a SQLite database.', 'Another process holds a lock for too long.'],
    fix: ['Check permissions and free space; point the sync at a writable path.', 'Rerun the sync once the database is writable: nothing is lost or duplicated.'],
    example: 'run_sync with destination sqlite:./pullpush.db in a writable directory.',
    related: ['SYNC_DATABASE_VERSION'],
  },
  SYNC_DATABASE_VERSION: {
    title: 'Database written by a newer version',
    meaning: 'The SQLite file uses a newer layout than this @pullpush/sync knows.',
    causes: ['The file was written by a newer pullpush CLI or server.'],
    fix: ['Upgrade @pullpush/sync (or the pullpush CLI), or use another file.'],
    example: 'npm install pullpush@latest',
    related: ['SYNC_DATABASE'],
  },
  SYNC_CLOSED: {
    title: 'Store closed',
    meaning: 'The SQLite store was used after it was closed.',
    causes: ['A read of sync state after the server or run shut down.'],
    fix: ['Open the store again (the MCP server reopens it on the next call).'],
    example: 'Call sync_status again.',
  },
  SYNC_DELIVERY_INTERRUPTED: {
    title: 'Delivery interrupted',
    meaning: "Delivery of a flow's outbox to its connector destination was stopped by its caller; what was not delivered waits in the outbox.",
    causes: ['The run was cancelled (Ctrl-C, a cancelled tool call).'],
    fix: ['Run the flow again: delivery goes on where it stopped, nothing is sent twice.'],
    example: 'pullpush flow run shop-to-crm.json -d shop.json -d crm.json',
  },
  SYNC_FLOW_PAUSED: {
    title: 'Flow paused',
    meaning: 'The flow\'s mode is "paused": runs are refused, and nothing is read or written until its mode is set back to live (or shadow).',
    causes: ['Someone paused the flow (pullpush flow mode, set_flow_mode) during an incident or a migration.'],
    fix: ['Set the flow live again: pullpush flow mode <flow> live, or set_flow_mode { "mode": "live" }.'],
    example: 'pullpush flow mode shop-to-crm.json live',
    related: ['DSL_FLOW_SHADOW_DESTINATION'],
  },
  SYNC_INVALID_SCHEDULE: {
    title: 'Schedule refused',
    meaning: 'The cron expression or the time zone of a flow schedule could not be read, so no schedule was stored.',
    causes: ['A cron expression with a wrong number of fields or an out-of-range value.', 'A time zone that is not an IANA name.'],
    fix: ['Write five cron fields, minute first, and an IANA zone: pullpush schedule add <flow> --cron "*/15 * * * *" --tz Europe/Paris.'],
    example: 'pullpush schedule add shop-to-crm.json -d shop.json -d crm.json --cron "0 * * * *" --db postgres://…',
  },
  SYNC_UNKNOWN_JOB: {
    title: 'No such job',
    meaning: 'The job id is in none of the queues of that database (it may have been deleted after its retention time).',
    causes: ['A mistyped id.', 'A job of another database or schema.'],
    fix: ['List the jobs with their ids: pullpush jobs list --db <url>.'],
    example: 'pullpush jobs retry 5b0f… --db postgres://…',
  },
  SYNC_JOB_INPUTS: {
    title: 'A queued flow cannot be run by this worker',
    meaning: 'The job does not carry the definition of a connector its flow names, or the worker has no config for a connection the flow names.',
    causes: ['The flow was queued without every definition it names.', 'The worker was started without --config for that connection.'],
    fix: ['Queue the flow again with every definition (-d), and start workers with -c <connection>=<file> for each connection (or PULLPUSH_<KEY> variables).'],
    example: 'pullpush worker --db postgres://… -c shop=shop.config.json -c crm=crm.config.json',
  },
  SYNC_MISSING_DESTINATION: {
    title: 'Destination definition missing',
    meaning: "The flow writes to a connector whose definition (and its connection's config) was not given.",
    causes: ['The destination definition was not passed, or its id differs from the flow\'s destination.connector.'],
    fix: ["Pass the destination's definition and its connection's config."],
    example: 'pullpush flow run flow.json -d shop.json -d crm.json -c crm=crm.config.json',
  },
};

const DISCOVERY: Record<CodeOf<typeof DiscoveryErrorCode>, Explanation> = {
  DISCOVERY_UNPARSEABLE: {
    title: 'Description does not parse',
    meaning: 'The API description is neither valid JSON nor valid YAML; the message gives the position (JSON) or the line and column (YAML) where parsing stopped.',
    causes: ['A trailing comma or an unquoted key in JSON.', 'Wrong indentation or an unquoted colon in YAML.', 'An HTML page saved instead of the description file.'],
    fix: ['Fix the text at the position given.', 'Download the raw description file (openapi.json, swagger.yaml), not the documentation page.'],
    example: 'discover_api { "path": "openapi.yaml" } → fix line 12, then call it again',
    related: ['DISCOVERY_NOT_A_DESCRIPTION'],
  },
  DISCOVERY_NOT_A_DESCRIPTION: {
    title: 'Not an API description',
    meaning: 'The document parses but is not an OpenAPI 2.0/3.0/3.1 description or a Postman v2.0/v2.1 collection: it has no "openapi", "swagger" or Postman "info.schema" key, or declares a version discovery does not read.',
    causes: ['Another JSON or YAML file (a package.json, a config file).', 'An OpenAPI 4 or Postman v1 document.'],
    fix: ['Give the OpenAPI or Postman collection file of the API.', 'Convert a Postman v1 collection to v2.1 in Postman first.'],
    example: 'discover_api { "url": "https://api.example.com/openapi.json" }',
    related: ['DISCOVERY_UNPARSEABLE'],
  },
  DISCOVERY_UNREADABLE: {
    title: 'Description or URL cannot be read',
    meaning: 'The description file could not be read, or the URL to probe is not a URL or gave no response body.',
    causes: ['A wrong path, or a file without read permission.', 'A URL without its scheme.', 'A URL holding "{{", which would be read as a template.'],
    fix: ['Check the path (relative to where the command runs).', 'Give the full URL: https://api.example.com/v1/items?limit=5.'],
    example: 'pullpush discover ./specs/openapi.yaml',
    related: ['ENGINE_INVALID_URL'],
  },
  DISCOVERY_NO_LIST_OPERATIONS: {
    title: 'Nothing lists records',
    meaning: 'No GET operation of the description returns a list of records (a JSON array of objects, or an object holding one), so there is no stream to draft.',
    causes: ['The description declares no response schemas (common in Postman collections without saved responses).', 'The API only has RPC-style POST endpoints.'],
    fix: ['Probe an endpoint of the API instead (probe_endpoint, pullpush probe) and write the stream from what it shows.', 'Use a description with response schemas.'],
    example: 'probe_endpoint { "url": "https://api.example.com/v1/items?limit=5", "connection": "example" }',
    related: ['DISCOVERY_UNKNOWN_OPERATION'],
  },
  DISCOVERY_UNKNOWN_OPERATION: {
    title: 'No such list operation',
    meaning: 'A stream asked for by name is not one of the list operations discovery found: it names no operationId, "GET /path", path or stream name of them.',
    causes: ['A typo in the operationId.', 'An operation that returns one record, or is not a GET.'],
    fix: ['List the operations (discover_api, pullpush discover) and name one of them.'],
    example: 'generate_connector { "path": "openapi.yaml", "streams": ["listInvoices", "GET /customers"] }',
    related: ['DISCOVERY_NO_LIST_OPERATIONS'],
  },
};

const MCP: Record<McpErrorCode, Explanation> = {
  MCP_INVALID_ARGUMENTS: {
    title: 'Arguments do not match the tool',
    meaning: 'The tool arguments do not match its input schema; each issue points at the argument (/document, /patch/0/op) and says what is wrong.',
    causes: ['An argument the tool does not take (a typo, or one from another tool).', 'A missing required argument, or a value of the wrong type.'],
    fix: ['Fix each argument at its pointer (tools/list shows every tool\'s input schema) and call again.'],
    example: 'get_definition { "definiton": "shop" } → get_definition { "definition": "shop" }',
  },
  MCP_UNKNOWN_TOOL: {
    title: 'Unknown tool',
    meaning: 'No tool of this server has that name, so nothing was run. It comes as a JSON-RPC error -32602 with this code in its data.',
    causes: ['A misspelled or invented tool name.'],
    fix: ['tools/list gives every tool; names are snake_case.'],
    example: 'validateDefinition → validate_definition',
  },
  MCP_NOT_FOUND: {
    title: 'Not found',
    meaning: 'What the call names does not exist: a definition or one of its revisions, a flow, a connection, a test report, a canonical type or an error code. The hint lists what exists.',
    causes: ['A misspelled id, or one from another workspace.', 'A revision number beyond the latest.', 'Something deleted earlier.'],
    fix: ['Use a name from the hint, or the list_* tool of that kind (list_definitions, list_flows, list_connections, list_canonical_types).'],
    example: 'get_definition { "definition": "shopp" } → get_definition { "definition": "shop" }',
  },
  MCP_ALREADY_EXISTS: {
    title: 'Already exists',
    meaning: 'Something of that id or name exists and the call would create it again.',
    causes: ['create_definition for an id already stored.', 'create_flow or create_connection with a name in use.'],
    fix: ['Change the existing one (update_definition, create_flow with replace: true, rotate_secret), pick another name, or delete the old one first.'],
    example: 'create_definition { document with id "shop" } → update_definition { "id": "shop", "patch": [ … ] }',
  },
  MCP_INVALID_PATCH: {
    title: 'JSON Patch refused',
    meaning: 'An RFC 6902 JSON Patch for update_definition could not be applied; the whole patch was refused and nothing was saved. The issue points at the failing operation (/patch/<index>).',
    causes: ['replace, remove, move or copy at a pointer where nothing is (a misspelled key, or "add" needed instead of "replace").', 'add under a parent that does not exist (add the parent object first).', 'A "test" operation whose value differs: the definition changed since it was read.', 'A patch that changes the definition\'s id.', 'Pointer syntax: pointers start with "/", "~1" stands for "/" and "~0" for "~" in a key.'],
    fix: ['get_definition and build pointers from the current document.', 'Use "add" for new keys, "replace" for existing ones.', 'To change an id: export_definition, create_definition with the new id, delete_definition the old one.'],
    example: '[{ "op": "replace", "path": "/streams/orders/pagination/pageSize", "value": 50 }] on a stream without pageSize → [{ "op": "add", "path": "/streams/orders/pagination/pageSize", "value": { "param": { "in": "query", "name": "limit" }, "value": 50 } }]',
  },
  MCP_INVALID_DOCUMENT: {
    title: 'Document refused',
    meaning: 'A document cannot be stored: a definition without a usable id (a slug), or a flow that does not validate or names a connector the workspace lacks. The issues point at every problem.',
    causes: ['"id" missing, or with capitals, spaces or dots.', 'A flow naming streams or a connector that do not exist.'],
    fix: ['Give the document a slug id ("acme-shop").', 'Fix the flow at each pointer; create the connector definition first.'],
    example: '"id": "Acme Shop" → "id": "acme-shop"',
    related: ['DSL_FLOW_UNKNOWN_STREAM'],
  },
  MCP_SECRET_KEY: {
    title: 'Workspace key problem',
    meaning: 'The key that seals connection secrets is missing, malformed or not the one the secrets were sealed with, so secrets cannot be stored or opened.',
    causes: ['PULLPUSH_SECRET_KEY changed or unset since the connection was created.', 'A key that is not 32 bytes in base64 or hex.', 'A damaged connection file.'],
    fix: ['Set PULLPUSH_SECRET_KEY (or the key file) to the key the workspace was created with.', 'Otherwise recreate the connection or rotate_secret.'],
    example: 'PULLPUSH_SECRET_KEY=$(node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))")',
    related: ['ENGINE_AUTH'],
  },
  MCP_WORKSPACE: {
    title: 'Workspace unusable',
    meaning: 'The workspace directory cannot be created or written.',
    causes: ['A read-only location, or a path that is a file.'],
    fix: ['Start the server with a writable directory (--workspace).'],
    example: 'pullpush mcp --workspace ./pullpush',
  },
  MCP_UNAUTHORIZED: {
    title: 'Not authorized',
    meaning: 'The HTTP transport refused the request: no or a wrong bearer token, or a Host / Origin header that is not allowed (protection against DNS rebinding).',
    causes: ['A client without the Authorization: Bearer header, or with an old token.', 'The server reached through a host name it was not told about.', 'A server started without a token of at least 16 characters.'],
    fix: ['Send Authorization: Bearer <PULLPUSH_MCP_TOKEN>.', 'Add the host to the allowed hosts, or connect through localhost.'],
    example: 'Authorization: Bearer 3q2-7w9Kx…',
  },
  MCP_UNAVAILABLE: {
    title: 'Too many sessions',
    meaning: 'The HTTP transport already holds as many sessions as it keeps (32 by default). Sessions end when a client closes them (DELETE) or after 30 minutes without a request.',
    causes: ['Clients that open a session per task and never close it.', 'Many assistants sharing one server.'],
    fix: ['Close sessions when done (the SDK client: transport.terminateSession()).', 'Wait for idle sessions to expire (Retry-After says when to try again), or start the server with a higher limit.'],
    example: 'HTTP 503, Retry-After: 60',
  },
  MCP_TOO_LARGE: {
    title: 'Request body too large',
    meaning: 'The HTTP transport refused a request body larger than its limit (4 MiB by default), without reading the rest.',
    causes: ['A definition or a document pasted with data it does not need.', 'A client that sends a file instead of a reference to it.'],
    fix: ['Send the definition alone; keep samples and data out of tool arguments.'],
    example: 'HTTP 413',
  },
  MCP_CANCELLED: {
    title: 'Cancelled',
    meaning: 'The call was cancelled before it finished (the client sent notifications/cancelled, cancel_run was called, or the server is closing). Nothing is wrong with the definition or the connection.',
    causes: ['The client or the user stopped a long test or sync.', 'The server shut down during the call.'],
    fix: ['Call the tool again. A cancelled sync resumes from its last checkpoint; records already written stay written.'],
    example: 'test_connector { "definition": "shop", "connection": "acme" } again.',
  },
  MCP_INTERNAL: {
    title: 'Internal error',
    meaning: 'Something failed that has no stable code of its own — usually a bug, not something the call did wrong.',
    causes: ['An unexpected exception in a tool.'],
    fix: ['Retry once; if it persists, report the message with the tool name and arguments (without secrets).'],
    example: 'system_health shows which tools fail.',
  },
};

const CANONICAL: Record<CodeOf<typeof CanonicalErrorCode>, Explanation> = {
  CANONICAL_UNKNOWN_TYPE: {
    title: 'Unknown canonical type',
    meaning: 'A canonical type name or version that is not registered.',
    causes: ['A misspelled name (commerce.orders), or a version that does not exist (commerce.order@2).'],
    fix: ['list_canonical_types gives every type as name@version.'],
    example: 'commerce.orders@1 → commerce.order@1',
    related: ['DSL_UNKNOWN_CANONICAL_TYPE'],
  },
  CANONICAL_INVALID_RECORD: {
    title: 'Record does not match its canonical type',
    meaning: 'A record fails its canonical type\'s schema; each issue points at the offending value. Money is a decimal string plus ISO 4217 code, timestamps ISO 8601 UTC, enums { value, native }, null means "no data", records are closed.',
    causes: ['A float where money wants a decimal string (19.99 for "19.99").', 'A timestamp with an offset or without seconds ("2024-01-01T10:00+02:00").', 'An enum value the type does not name (use "other" and keep native).', 'A native field left in the record instead of under custom.'],
    fix: ['Fix the mapping of the field at the pointer (map_record shows the produced record; validate_canonical checks one).', 'Convert: $string(amount) for money, $fromMillis($toMillis(t)) for timestamps.'],
    example: '"totals.total": { "path": "total" } with total 19.99 → { "expr": "{ \'amount\': $string(total), \'currency\': currency }" }',
    related: ['DSL_MISSING_CANONICAL_FIELD'],
  },
  CANONICAL_CONVENTION_VIOLATION: {
    title: 'Custom type breaks the conventions',
    meaning: 'A canonical type registered by an application does not follow the canonical conventions (closed records, money, timestamps, enums, identity fields).',
    causes: ['A schema written by hand instead of with CanonicalRecord() and the building blocks.', 'A float money field or a non-UTC timestamp.'],
    fix: ['Build the schema with CanonicalRecord() and Money, Timestamp, Enumerated, Nullable…'],
    example: 'amount: Type.Number() → amount: MoneyField(\'…\')',
  },
  CANONICAL_DUPLICATE_TYPE: {
    title: 'Type already registered',
    meaning: 'A canonical type (or an upcaster) of that name and version is registered already.',
    causes: ['Registering the same type twice.', 'A breaking change registered under the same version.'],
    fix: ['Register a breaking change as the next version, with an upcaster from the previous one.'],
    example: 'registerCanonicalType({ name: "acme.thing", version: 2, … }) + registerUpcaster({ name: "acme.thing", from: 1, upcast })',
  },
  CANONICAL_MISSING_KEY: {
    title: 'Key field missing',
    meaning: 'The record has no value at a field that makes its canonical key, so it cannot be identified.',
    causes: ['A natural key field (sku, locationId) null or absent in the mapped record.'],
    fix: ['Map every key field (get_canonical_type shows the key) and make sure the source always has a value.'],
    example: '"sku": { "path": "sku" } where some records have no sku → filter them out, or take the variant id instead.',
    related: ['DSL_KEY_NOT_MAPPED'],
  },
  CANONICAL_NO_UPCASTER: {
    title: 'No upcaster',
    meaning: 'A record of one version of a canonical type cannot be migrated to the version asked for: no upcaster is registered, or the migration would go backwards.',
    causes: ['A new type version registered without its upcaster.', 'Asking for an older version than the record\'s.'],
    fix: ['Register the upcaster from each version to the next; read records in the version they were written in or later.'],
    example: 'registerUpcaster({ name: "acme.thing", from: 1, upcast: (r) => ({ ...r, extra: null }) })',
  },
  CANONICAL_INVALID_EVENT: {
    title: 'Invalid canonical event',
    meaning: 'A CloudEvents envelope of a canonical record is not valid: a missing attribute, a type or schema id that disagrees with the data, or data that fails its type.',
    causes: ['An event assembled by hand.'],
    fix: ['Create events with createCanonicalEvent() so envelope, key and schema id agree with the data.'],
    example: 'createCanonicalEvent({ type: "commerce.order@1", data: record, source: … })',
    related: ['CANONICAL_INVALID_RECORD'],
  },
};

type Source = 'schema' | 'engine' | 'sync' | 'discovery' | 'mcp' | 'canonical';

const TABLE = new Map<string, Explanation & { source: Source }>([
  ...Object.entries(DSL).map(([code, entry]) => [code, { ...entry, source: 'schema' as const }] as const),
  ...Object.entries(ENGINE).map(([code, entry]) => [code, { ...entry, source: 'engine' as const }] as const),
  ...Object.entries(SYNC).map(([code, entry]) => [code, { ...entry, source: 'sync' as const }] as const),
  ...Object.entries(DISCOVERY).map(([code, entry]) => [code, { ...entry, source: 'discovery' as const }] as const),
  ...Object.entries(MCP).map(([code, entry]) => [code, { ...entry, source: 'mcp' as const }] as const),
  ...Object.entries(CANONICAL).map(([code, entry]) => [code, { ...entry, source: 'canonical' as const }] as const),
]);

/** Every code explain_error knows. */
export const EXPLAINED_CODES: readonly string[] = [...TABLE.keys()];

const PACKAGES: Record<Source, string> = { schema: '@pullpush/schema', engine: '@pullpush/engine', sync: '@pullpush/sync', discovery: '@pullpush/discovery', mcp: '@pullpush/mcp', canonical: '@pullpush/canonical' };

function unescape(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** A pointer in words: /streams/items/pagination/kind → stream "items" › pagination › kind. */
function describePointer(pointer: string): string {
  if (pointer === '' || pointer === '/') return 'the whole document';
  const segments = pointer.replace(/^\//, '').split('/').map(unescape);
  const words: string[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] as string;
    const next = segments[index + 1];
    if ((segment === 'streams' || segment === 'writes') && next !== undefined) {
      words.push(`${segment === 'streams' ? 'stream' : 'writes of'} "${next}"`);
      index += 1;
    } else if (segment === 'fields' && next !== undefined && segments[index - 1] === 'mapping') {
      words.push(`field "${next}"`);
      index += 1;
    } else if (/^\d+$/.test(segment)) words.push(`item ${segment}`);
    else words.push(segment);
  }
  return words.join(' › ');
}

function parentOf(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

/** A patch for the common cases, when the pointer (and, for a typo, the suggestion) says enough. */
function patchFor(code: string, pointer: string, message: string | undefined): Array<Record<string, unknown>> | undefined {
  const suggestion = message ? /did you mean "([^"]+)"/i.exec(message)?.[1] : undefined;
  switch (code) {
    case DslCode.UnknownKey:
      return suggestion ? [{ op: 'move', from: pointer, path: `${parentOf(pointer)}/${suggestion.replaceAll('~', '~0').replaceAll('/', '~1')}` }] : [{ op: 'remove', path: pointer }];
    case DslCode.ReservedField:
      return [{ op: 'remove', path: pointer }];
    case DslCode.MissingField:
      return [{ op: 'add', path: pointer, value: '<value>' }];
    case DslCode.UnknownKind:
    case DslCode.InvalidValue:
    case DslCode.UnsupportedVersion:
      return suggestion ? [{ op: 'replace', path: pointer, value: suggestion }] : undefined;
    case DslCode.InsecureBaseUrl: {
      const url = message ? /"(http:\/\/[^"]+)"/.exec(message)?.[1] : undefined;
      return url ? [{ op: 'replace', path: pointer, value: url.replace(/^http:/, 'https:') }] : undefined;
    }
    default:
      return undefined;
  }
}

function normalizeCode(code: string): string {
  return code.trim().toUpperCase().replaceAll(/[\s-]+/g, '_');
}

const Explained = Type.Object({
  code: Type.String(),
  package: Type.String({ description: 'The package that raises it.' }),
  title: Type.String(),
  meaning: Type.String(),
  causes: Type.Array(Type.String()),
  fix: Type.Array(Type.String()),
  example: Type.String({ description: 'An example fix.' }),
  related: Type.Array(Type.String()),
  tailored: Type.Optional(
    Type.Object({
      pointer: Type.Optional(Type.String()),
      where: Type.Optional(Type.String({ description: 'The pointer in words.' })),
      advice: Type.String(),
      patch: Type.Optional(Type.Array(FreeObject(), { description: 'A JSON Patch for update_definition that likely fixes it; check before applying.' })),
    }),
  ),
});

export const explainTools = [
  defineTool({
    name: 'explain_error',
    title: 'Explain an error code',
    description:
      'Explains a PullPush error or problem code (DSL_… from validation, ENGINE_… from test runs, SYNC_…, MCP_…, CANONICAL_…): what it means, common causes, how to fix it and an example fix. Pass the pointer and message of the failing report to get advice for that place and, for common definition problems, a JSON Patch for update_definition. Unknown codes get the closest known code.',
    group: 'validation',
    input: Type.Object(
      {
        code: Type.String({ minLength: 1, maxLength: 80, description: 'The error code, e.g. DSL_UNKNOWN_KEY or ENGINE_PAGINATION_LOOP.' }),
        pointer: Type.Optional(Type.String({ maxLength: 1000, description: 'The JSON pointer from the report (/streams/items/paginaton).' })),
        message: Type.Optional(Type.String({ maxLength: 4000, description: 'The message (and hint) from the report.' })),
      },
      { additionalProperties: false },
    ),
    output: Explained,
    annotations: READ_ONLY,
    handler(args) {
      const code = normalizeCode(args.code);
      const entry = TABLE.get(code);
      if (!entry) {
        const byTail = EXPLAINED_CODES.filter((known) => known.endsWith(`_${code}`));
        const suggestion = byTail.length === 1 ? byTail[0] : closestName(code, EXPLAINED_CODES);
        throw new PullPushError(McpErrorCode.NotFound, `No error code "${args.code}".`, {
          hint: suggestion ? `Did you mean "${suggestion}"?` : 'Codes start with DSL_, ENGINE_, SYNC_, DISCOVERY_, MCP_ or CANONICAL_; the failing report shows the exact code.',
        });
      }
      const tailored =
        args.pointer === undefined && args.message === undefined
          ? undefined
          : (() => {
              const pointer = args.pointer;
              const where = pointer === undefined ? undefined : describePointer(pointer);
              const said = args.message ?? entry.meaning;
              const advice = `${pointer === undefined ? '' : `At ${pointer || '/'} (${where}): `}${said.replace(/\.?$/, '.')} ${entry.fix[0] ?? ''}`.trim();
              const patch = pointer !== undefined && entry.source === 'schema' ? patchFor(code, pointer, args.message) : undefined;
              return compact<{ advice: string }>({ pointer, where, advice, patch });
            })();
      return compact<{ code: string; package: string; title: string; meaning: string; causes: string[]; fix: string[]; example: string; related: string[] }>({
        code,
        package: PACKAGES[entry.source],
        title: entry.title,
        meaning: entry.meaning,
        causes: [...entry.causes],
        fix: [...entry.fix],
        example: entry.example,
        related: [...(entry.related ?? [])],
        tailored,
      });
    },
  }),
];
