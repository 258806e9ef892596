// The registry's API described as OpenAPI 3.1, served at /openapi.json. Bodies are the TypeBox schemas of
// @pullpush/schema that the routes check requests with and the client takes its types from.
import {
  RegistryAccountRequest,
  RegistryAccountResult,
  RegistryAuditLog,
  RegistryDeprecateRequest,
  RegistryDeprecateResult,
  RegistryDistTagRequest,
  RegistryDistTagResult,
  RegistryErrorBody,
  RegistryKeyRequest,
  RegistryKeyResult,
  RegistryKeys,
  RegistryPackageInfo,
  RegistryPublisherKey,
  RegistryPublishRequest,
  RegistryPublishResult,
  RegistrySearchResults,
  RegistryTokenRequest,
  RegistryTokenResult,
  RegistryVersionDownload,
  RegistryYankRequest,
  RegistryYankResult,
} from '@pullpush/schema';

const error = { $ref: '#/components/responses/Error' };
const name = [
  { name: 'scope', in: 'path', required: true, description: 'The scope with its @: @acme.', schema: { type: 'string', pattern: '^@[a-z0-9][a-z0-9-]{0,38}$' } },
  { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } },
];
/** A JSON body: its description and its schema, as a plain JSON Schema object (TypeBox's are). */
const json = (description: string, schema: object) => ({ description, content: { 'application/json': { schema: JSON.parse(JSON.stringify(schema)) as object } } });

export const REGISTRY_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'PullPush registry', version: '1.0.0', description: 'Publish verified PullPush connector definitions under scoped names; search, inspect and download them. Every route may answer 429 REGISTRY_RATE_LIMITED with Retry-After when an account or address is over its reads or writes per window (RateLimit-* headers say how much is left). A route answers 503 REGISTRY_DATABASE while the registry cannot reach its database. The catalogue web pages are / and /connectors/@scope/name.' },
  components: {
    securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A registry token (pp_pub_… may publish, pp_read_… only reads).' } },
    responses: { Error: json('A refusal: a stable code, a message and a hint', RegistryErrorBody) },
  },
  paths: {
    '/-/accounts': { post: { summary: 'Create an account and its first publish token', requestBody: json('The account name', RegistryAccountRequest), responses: { 201: json('The account and its first publish token', RegistryAccountResult), 400: error, 403: error } } },
    '/-/tokens': { post: { summary: 'Create a token of a scope', security: [{ token: [] }], requestBody: json('The scope', RegistryTokenRequest), responses: { 201: json('The token (shown once)', RegistryTokenResult), 401: error, 403: error } } },
    '/-/keys': { post: { summary: "Register an Ed25519 public key (PEM) to the token's account", security: [{ token: [] }], requestBody: json('The public key', RegistryKeyRequest), responses: { 201: json('The key id', RegistryKeyResult), 400: error, 401: error } } },
    '/-/keys/{id}': { get: { summary: 'A publisher key', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('The key', RegistryPublisherKey), 404: error } } },
    '/-/registry-keys': { get: { summary: "The registry's public keys, which countersign every version", responses: { 200: json('The registry keys', RegistryKeys) } } },
    '/-/audit': { get: { summary: "The audit log of the token's account: what it did and what was done to its packages, newest first", security: [{ token: [] }], parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }], responses: { 200: json('The entries', RegistryAuditLog), 401: error } } },
    '/-/search': { get: { summary: 'Search names, descriptions, canonical types, auth kinds and streams', parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }], responses: { 200: json('The best matches', RegistrySearchResults) } } },
    '/packages/{scope}/{name}': {
      get: { summary: 'A package: owner, dist-tags, versions with their verification', parameters: name, responses: { 200: json('The package', RegistryPackageInfo), 404: error } },
      put: {
        summary: 'Publish a version: the definition, its passing read-only test report, and the signature of name@version:integrity',
        security: [{ token: [] }],
        parameters: name,
        requestBody: json('The definition, its report and the signature', RegistryPublishRequest),
        responses: { 201: json('The published version and its countersignature', RegistryPublishResult), 401: error, 403: error, 409: error, 413: error, 422: error },
      },
    },
    '/packages/{scope}/{name}/{version}': { get: { summary: 'One version: its canonical JSON artifact, integrity and signatures', parameters: [...name, { name: 'version', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('The version with its artifact', RegistryVersionDownload), 404: error } } },
    '/packages/{scope}/{name}/dist-tags/{tag}': { put: { summary: 'Point a dist-tag at a version (rollback: move latest back)', security: [{ token: [] }], parameters: [...name, { name: 'tag', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json('The version', RegistryDistTagRequest), responses: { 200: json('The dist-tags', RegistryDistTagResult), 403: error, 404: error } } },
    '/packages/{scope}/{name}/deprecate': { post: { summary: 'Deprecate a version, or all of them, with a message (an empty one undoes it)', security: [{ token: [] }], parameters: name, requestBody: json('The version (default: all) and the message', RegistryDeprecateRequest), responses: { 200: json('What is deprecated', RegistryDeprecateResult), 403: error } } },
    '/packages/{scope}/{name}/{version}/yank': { post: { summary: 'Yank a version (kept for lockfiles, skipped by ranges), or undo it', security: [{ token: [] }], parameters: [...name, { name: 'version', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json('Yank or un-yank', RegistryYankRequest), responses: { 200: json('The version', RegistryYankResult), 403: error } } },
  },
} as const;
