// Small descriptions written for the tests, one behaviour each.

/** Swagger 2.0 YAML: basic auth, page numbers with a page count, an incremental filter, a child list. */
export const swagger2 = `
swagger: '2.0'
info: { title: Ticket Desk, version: '2.1' }
host: desk.example.com
basePath: /api/v2
schemes: [https]
securityDefinitions:
  basic: { type: basic }
security: [{ basic: [] }]
paths:
  /tickets:
    get:
      operationId: listTickets
      parameters:
        - { name: page, in: query, type: integer, minimum: 1 }
        - { name: per_page, in: query, type: integer, maximum: 100 }
        - { name: updated_since, in: query, type: string, format: date-time }
      responses:
        '200':
          description: tickets
          schema:
            type: object
            properties:
              tickets: { type: array, items: { $ref: '#/definitions/Ticket' } }
              total_pages: { type: integer }
  /tickets/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, type: string }]
      responses:
        '200': { description: one, schema: { type: object, properties: { tickets: { type: array, items: { $ref: '#/definitions/Ticket' } } } } }
  /tickets/{id}/comments:
    get:
      parameters: [{ name: id, in: path, required: true, type: string }]
      responses:
        '200': { description: comments, schema: { type: array, items: { type: object, properties: { id: { type: integer }, body: { type: string } } } } }
definitions:
  Ticket:
    type: object
    required: [id]
    properties:
      id: { type: integer }
      subject: { type: string }
      updated_at: { type: string, format: date-time }
`;

/** OpenAPI 3.1 JSON: an API key, a server variable, a cursor in an allOf envelope, circular schemas. */
export const openapi31 = {
  openapi: '3.1.0',
  info: { title: 'Folders', version: '1' },
  servers: [{ url: 'https://{region}.files.example.com/v1', variables: { region: { default: 'eu', enum: ['eu', 'us'] } } }],
  components: {
    securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    schemas: {
      Folder: { type: 'object', properties: { uid: { type: 'string', format: 'uuid' }, name: { type: 'string' }, parent: { $ref: '#/components/schemas/Folder' }, children: { type: 'array', items: { $ref: '#/components/schemas/Folder' } } } },
      Page: { type: 'object', properties: { next_cursor: { type: ['string', 'null'] }, has_more: { type: 'boolean' } } },
    },
  },
  security: [{ key: [] }],
  paths: {
    '/folders': {
      get: {
        parameters: [{ name: 'cursor', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 200 } }],
        responses: { 200: { description: 'ok', content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/Page' }, { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Folder' } } } }] } } } } },
      },
    },
  },
};

