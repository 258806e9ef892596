// The server itself: tools listed with titles, schemas and annotations; arguments refused by schema with
// pointers; tool failures as isError results, protocol failures (unknown tool, prompt, resource) as the JSON-RPC
// errors the specification names; resources and prompts.
import { ErrorCode, McpError, ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it, vi } from 'vitest';
import { RESOURCE_NOT_FOUND } from '../src/server.ts';
import { connect } from './support.ts';

describe('tools/list', () => {
  it('lists every tool in snake_case with a title, a description, input and output schemas and annotations', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools) {
      expect(tool.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description?.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      expect(typeof tool.annotations?.readOnlyHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations?.destructiveHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations?.idempotentHint, tool.name).toBe('boolean');
      expect(typeof tool.annotations?.openWorldHint, tool.name).toBe('boolean');
    }
  });
});

describe('tools/call', () => {
  it('refuses arguments that do not match the input schema, with pointers, as an isError result', async () => {
    const { fails } = await connect();
    const error = await fails('validate_definition', { revision: 0, extra: true, kind: 'nope' });
    expect(error.code).toBe('MCP_INVALID_ARGUMENTS');
    expect(error.issues.map((issue) => issue.pointer).sort()).toEqual(['/extra', '/kind', '/revision']);
    expect(error.issues.find((issue) => issue.pointer === '/extra')?.message).toBe('unknown argument "extra"');
  });

  it('answers an unknown tool with JSON-RPC -32602, PullPush\'s code and hint in data', async () => {
    const { client } = await connect();
    const error = await client.callTool({ name: 'no_such_tool', arguments: {} }).then(() => undefined, (failure: unknown) => failure);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: ErrorCode.InvalidParams, data: { code: 'MCP_UNKNOWN_TOOL', hint: expect.stringContaining('tools/list') } });
  });

  it('marks the tools that may write a rotated refresh token back as neither read-only nor idempotent', async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    for (const name of ['test_connection', 'check_auth', 'read_sample']) {
      expect(tools.find((tool) => tool.name === name)?.annotations, name).toMatchObject({ readOnlyHint: false, idempotentHint: false, destructiveHint: false, openWorldHint: true });
    }
  });

  it('writes tool results as compact JSON text, and declares no logging it does not do', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'list_template_variables', arguments: { place: 'auth' } });
    const [text] = result.content as Array<{ type: string; text: string }>;
    expect(text?.text).toBe(JSON.stringify(result.structuredContent));
    expect(client.getServerCapabilities()?.logging).toBeUndefined();
  });

  it('validates an inline definition: every problem with code, pointer and hint', async () => {
    const { ok } = await connect();
    const result = await ok<{ ok: boolean; errors: Array<{ code: string; pointer: string }> }>('validate_definition', {
      document: { dsl: 'pullpush/v1', id: 'x', name: 'X', version: '1.0.0', http: { baseUrl: 'https://api.example.com' }, streams: { items: { request: { path: '/items' }, paginaton: {} } } },
    });
    expect(result.ok).toBe(false);
    expect(result.errors.some((error) => error.code === 'DSL_UNKNOWN_KEY' && error.pointer === '/streams/items/paginaton')).toBe(true);
  });

  it('returns the DSL JSON Schema of definitions and of flows', async () => {
    const { ok, fails } = await connect();
    const definition = await ok<{ schema: { $id: string; properties: Record<string, unknown> } }>('get_connector_schema', {});
    expect(definition.schema.$id).toContain('connector-definition');
    expect(Object.keys(definition.schema.properties)).toEqual(expect.arrayContaining(['dsl', 'id', 'http', 'auth', 'streams']));
    const flow = await ok<{ schema: { $id: string } }>('get_connector_schema', { kind: 'flow' });
    expect(flow.schema.$id).toContain('flow');
    expect((await fails('get_connector_schema', { kind: 'yaml' })).issues[0]?.pointer).toBe('/kind');
  });

  it('get_example lists the example definitions of real APIs and gives one whole, also as a resource', async () => {
    const { ok, fails, client } = await connect();
    const listed = await ok<{ examples: Array<{ name: string; auth: string; pagination: string[] }>; definition?: unknown }>('get_example', {});
    expect(listed.examples.map((example) => example.name)).toEqual(['github', 'jira', 'slack', 'stripe']);
    expect(listed.definition).toBeUndefined();
    expect(new Set(listed.examples.flatMap((example) => example.pagination)).size).toBeGreaterThan(1);
    const stripe = await ok<{ definition: { id: string; streams: Record<string, unknown> } }>('get_example', { name: 'stripe' });
    expect(stripe.definition.id).toBe('stripe');
    // Each example is a valid definition: what an assistant copies from validates.
    expect(await ok<{ ok: boolean }>('validate_definition', { document: stripe.definition })).toMatchObject({ ok: true });
    const resource = await client.readResource({ uri: 'pullpush://examples/stripe' });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toEqual(stripe.definition);
    expect(await fails('get_example', { name: 'strype' })).toMatchObject({ code: 'MCP_NOT_FOUND', hint: 'Examples: github, jira, slack, stripe.' });
  });

  it('get_connector_schema teaches the DSL in pieces: an outline, then one section at a time', async () => {
    const { ok, fails } = await connect();
    const size = (value: unknown) => JSON.stringify(value).length;
    const whole = size((await ok('get_connector_schema', {})).schema);
    const outline = (await ok<{ schema: { definition: { properties: Record<string, { description?: string }> }; stream: { properties: Record<string, unknown> } } }>('get_connector_schema', { section: 'outline' })).schema;
    expect(Object.keys(outline.definition.properties)).toEqual(expect.arrayContaining(['http', 'auth', 'streams', 'writes']));
    expect(Object.keys(outline.stream.properties)).toEqual(expect.arrayContaining(['request', 'pagination', 'mapping']));
    expect(outline.definition.properties['auth']?.description).toBeTruthy();
    expect(size(outline)).toBeLessThan(whole / 8);
    const sections = ['connection', 'auth', 'stream', 'pagination', 'incremental', 'partitions', 'mapping', 'writes', 'webhooks'];
    const sizes: number[] = [];
    for (const section of sections) {
      const { schema } = await ok<{ schema: Record<string, unknown> }>('get_connector_schema', { section });
      expect(schema, section).toBeTypeOf('object');
      sizes.push(size(schema));
    }
    // Every section is a part: together they cover what the whole holds, none is the whole.
    expect(Math.max(...sizes)).toBeLessThan(whole / 2);
    expect(JSON.stringify((await ok('get_connector_schema', { section: 'pagination' })).schema)).toContain('"cursor"');
    const stream = (await ok<{ schema: { properties: Record<string, { $comment?: string }> } }>('get_connector_schema', { section: 'stream' })).schema;
    expect(stream.properties['pagination']?.$comment).toBe('get_connector_schema { "section": "pagination" }');
    expect((await fails('get_connector_schema', { section: 'everything' })).issues[0]?.pointer).toBe('/section');
  });

  it('lists template variables by place and refuses an unknown place', async () => {
    const { ok, fails } = await connect();
    const { places } = await ok<{ places: Array<{ place: string; variables: Array<{ name: string }> }> }>('list_template_variables', { place: 'mapping' });
    expect(places[0]?.variables.map((variable) => variable.name)).toContain('$record');
    expect((await fails('list_template_variables', { place: 'mapings' })).hint).toContain('mapping');
  });
});

describe('resources and prompts', () => {
  it('serves the DSL schema and canonical type schemas', async () => {
    const { client } = await connect();
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(expect.arrayContaining(['pullpush://schema/connector-definition.v1.json', 'pullpush://canonical/commerce.order@1']));
    const order = await client.readResource({ uri: 'pullpush://canonical/commerce.order@1' });
    expect(JSON.parse((order.contents[0] as { text: string }).text)).toMatchObject({ $id: 'urn:pullpush:canonical:commerce.order:1' });
    await expect(client.readResource({ uri: 'pullpush://nothing/here' })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND, message: expect.stringMatching(/No resource/), data: { code: 'MCP_NOT_FOUND' } });
    expect((order.contents[0] as { text: string }).text).not.toContain('\n');
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain('pullpush://definitions/{id}');
  });

  it('offers the build and debug prompts, with their arguments checked', async () => {
    const { client } = await connect();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(['build_connector', 'debug_failing_stream']);
    const build = await client.getPrompt({ name: 'build_connector', arguments: { api: 'Acme Shop (https://acme.example.com/openapi.json)' } });
    expect((build.messages[0]?.content as { text: string }).text).toContain('validate_definition');
    await expect(client.getPrompt({ name: 'debug_failing_stream', arguments: { definition: 'shop' } })).rejects.toMatchObject({
      code: ErrorCode.InvalidParams,
      message: expect.stringMatching(/stream/),
      data: { code: 'MCP_INVALID_ARGUMENTS' },
    });
    await expect(client.getPrompt({ name: 'no_such_prompt' })).rejects.toMatchObject({ code: ErrorCode.InvalidParams, data: { code: 'MCP_NOT_FOUND', hint: expect.stringContaining('build_connector') } });
  });
});

describe('completion/complete', () => {
  it('completes prompt arguments and resource template variables from the workspace and the catalogue', async () => {
    const { client, ok } = await connect();
    expect(client.getServerCapabilities()?.completions).toEqual({});
    await ok('create_definition', { document: shopConnectorDefinition() as unknown as Record<string, unknown> });
    const values = async (ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string }, name: string, value: string, context?: Record<string, string>) =>
      (await client.complete({ ref, argument: { name, value }, ...(context ? { context: { arguments: context } } : {}) })).completion.values;
    const prompt = { type: 'ref/prompt', name: 'debug_failing_stream' } as const;
    expect(await values(prompt, 'definition', 'test')).toEqual(['testkit-shop']);
    expect(await values(prompt, 'definition', 'zz')).toEqual([]);
    expect(await values(prompt, 'stream', 'or', { definition: 'testkit-shop' })).toEqual(['orders']);
    expect(await values(prompt, 'stream', '')).toEqual([]);
    expect(await values({ type: 'ref/prompt', name: 'build_connector' }, 'api', 'Acme')).toEqual([]);
    expect(await values({ type: 'ref/resource', uri: 'pullpush://canonical/{type}' }, 'type', 'commerce.ord')).toEqual(['commerce.order@1']);
    expect(await values({ type: 'ref/resource', uri: 'pullpush://definitions/{id}/revisions/{revision}' }, 'revision', '', { id: 'testkit-shop' })).toEqual(['1']);
  });
});

describe('notifications/resources/list_changed', () => {
  it('tells every session over the runtime when a tool adds or removes a resource, and only then', async () => {
    const first = await connect();
    // A second session over the same runtime (as Streamable HTTP has one per client).
    const second = await connect({ runtime: first.server.runtime });
    const seen = { first: 0, second: 0 };
    first.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void (seen.first += 1));
    second.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => void (seen.second += 1));
    expect(first.client.getServerCapabilities()?.resources).toMatchObject({ listChanged: true });

    await first.ok('create_definition', { document: shopConnectorDefinition() as unknown as Record<string, unknown> });
    // The notification goes out before the result; the other session's may still be on its way.
    expect(seen.first).toBe(1);
    await vi.waitFor(() => expect(seen.second).toBe(1));
    await first.ok('list_definitions');
    await first.ok('validate_definition', { definition: 'testkit-shop' });
    await second.ok('delete_definition', { definition: 'testkit-shop' });
    expect(seen.second).toBe(2);
    await vi.waitFor(() => expect(seen.first).toBe(2));
    // Read-only calls in between announced nothing.
    expect(seen).toEqual({ first: 2, second: 2 });
  });
});

describe('README', () => {
  it('names every tool, so the documentation follows the code', async () => {
    const { readFileSync } = await import('node:fs');
    const { ALL_TOOLS } = await import('../src/index.ts');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(ALL_TOOLS.filter((tool) => !readme.includes(`\`${tool.name}\``)).map((tool) => tool.name)).toEqual([]);
    expect(readme).toContain(`${ALL_TOOLS.length} tools`);
  });
});
