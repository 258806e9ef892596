// The registry's API described as OpenAPI 3.1, served at /openapi.json.
const error = { $ref: '#/components/responses/Error' };
const name = [
  { name: 'scope', in: 'path', required: true, description: 'The scope with its @: @acme.', schema: { type: 'string', pattern: '^@[a-z0-9][a-z0-9-]{0,38}$' } },
  { name: 'name', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$' } },
];
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });

export const REGISTRY_OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'PullPush registry', version: '1.0.0', description: 'Publish verified PullPush connector definitions under scoped names; search, inspect and download them.' },
  components: {
    securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A registry token (pp_pub_… may publish, pp_read_… only reads).' } },
    responses: { Error: json('A refusal', { type: 'object', properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } } } } }) },
  },
  paths: {
    '/-/accounts': { post: { summary: 'Create an account and its first publish token', requestBody: json('{ name }'), responses: { 201: json('{ account, token }'), 400: error, 403: error } } },
    '/-/tokens': { post: { summary: 'Create a token of a scope', security: [{ token: [] }], requestBody: json('{ scope: read | publish }'), responses: { 201: json('{ token }'), 401: error, 403: error } } },
    '/-/keys': { post: { summary: "Register an Ed25519 public key (PEM) to the token's account", security: [{ token: [] }], requestBody: json('{ publicKey }'), responses: { 201: json('{ id }'), 400: error, 401: error } } },
    '/-/keys/{id}': { get: { summary: 'A publisher key', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('{ id, account, publicKey }'), 404: error } } },
    '/-/registry-keys': { get: { summary: "The registry's public keys, which countersign every version", responses: { 200: json('{ keys: [{ id, publicKey }] }') } } },
    '/-/search': { get: { summary: 'Search names, descriptions, canonical types, auth kinds and streams', parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }], responses: { 200: json('{ results }') } } },
    '/packages/{scope}/{name}': {
      get: { summary: 'A package: owner, dist-tags, versions with their verification', parameters: name, responses: { 200: json('The package'), 404: error } },
      put: {
        summary: 'Publish a version: the definition, its passing read-only test report, and the signature of name@version:integrity',
        security: [{ token: [] }],
        parameters: name,
        requestBody: json('{ definition, report, signature: { keyId, value } }'),
        responses: { 201: json('{ name, version, integrity, countersignature, registryKeyId }'), 401: error, 403: error, 409: error, 413: error, 422: error },
      },
    },
    '/packages/{scope}/{name}/{version}': { get: { summary: 'One version: its canonical JSON artifact, integrity and signatures', parameters: [...name, { name: 'version', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: json('The version'), 404: error } } },
    '/packages/{scope}/{name}/dist-tags/{tag}': { put: { summary: 'Point a dist-tag at a version (rollback: move latest back)', security: [{ token: [] }], parameters: [...name, { name: 'tag', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json('{ version }'), responses: { 200: json('{ name, distTags }'), 403: error, 404: error } } },
    '/packages/{scope}/{name}/deprecate': { post: { summary: 'Deprecate a version, or all of them, with a message (an empty one undoes it)', security: [{ token: [] }], parameters: name, requestBody: json('{ version?, message }'), responses: { 200: json('{ name, deprecated }'), 403: error } } },
    '/packages/{scope}/{name}/{version}/yank': { post: { summary: 'Yank a version (kept for lockfiles, skipped by ranges), or undo it', security: [{ token: [] }], parameters: [...name, { name: 'version', in: 'path', required: true, schema: { type: 'string' } }], requestBody: json('{ yanked }'), responses: { 200: json('{ name, version, yanked }'), 403: error } } },
  },
} as const;
