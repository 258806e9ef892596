// Toolsets: a session lists only the toolsets it is served, and in dynamic mode the assistant enables them itself,
// the client hearing tools/list_changed. Every tool is in exactly one toolset.
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS, createPullPushServer, TOOLSET_NAMES, TOOLSETS, toolsetOf } from '../src/index.ts';
import { connect } from './support.ts';

describe('toolsets', () => {
  it('puts every tool in exactly one toolset, and names only tools that exist', () => {
    for (const tool of ALL_TOOLS) {
      expect(TOOLSET_NAMES.filter((name) => (TOOLSETS[name].tools as readonly string[]).includes(tool.name)), tool.name).toHaveLength(1);
    }
    const names = new Set(ALL_TOOLS.map((tool) => tool.name));
    for (const name of TOOLSET_NAMES) for (const tool of TOOLSETS[name].tools) expect(names.has(tool), `${name}: ${tool}`).toBe(true);
  });

  it('serves only the toolsets it is given; a tool of another is an unknown tool naming its toolset', async () => {
    const { client } = await connect({ toolsets: ['discover', 'connect'] });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...TOOLSETS.discover.tools, ...TOOLSETS.connect.tools].sort());
    const refused = await client.callTool({ name: 'run_sync', arguments: {} }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: -32602, data: { code: 'MCP_UNKNOWN_TOOL', hint: expect.stringContaining('"sync"') } });
  });

  it('refuses a toolset that does not exist', () => {
    expect(() => createPullPushServer({ toolsets: ['discover', 'nope' as never] })).toThrow(expect.objectContaining({ code: 'MCP_INVALID_ARGUMENTS', hint: expect.stringContaining('discover') }));
  });

  it('dynamic mode: two tools at first, then what enable_toolset adds, announced by tools/list_changed', async () => {
    const { client, ok } = await connect({ toolsets: 'dynamic' });
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    expect(client.getInstructions()).toContain('enable_toolset');
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['list_toolsets', 'enable_toolset']);
    const listed = await ok<{ toolsets: Array<{ name: string; enabled: boolean }> }>('list_toolsets');
    expect(listed.toolsets.map((toolset) => toolset.name)).toEqual(TOOLSET_NAMES);
    expect(listed.toolsets.every((toolset) => !toolset.enabled)).toBe(true);
    const refused = await client.callTool({ name: 'discover_api', arguments: { text: '{}' } }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: -32602, data: { hint: expect.stringContaining('enable_toolset') } });

    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed += 1;
    });
    expect(await ok('enable_toolset', { toolsets: ['discover'] })).toEqual({ enabled: ['discover'], added: [...TOOLSETS.discover.tools] });
    await expect.poll(() => changed).toBe(1);
    const after = (await client.listTools()).tools.map((tool) => tool.name);
    expect(after).toEqual(['list_toolsets', 'enable_toolset', ...TOOLSETS.discover.tools]);
    expect(await ok('discover_api', { text: JSON.stringify({ openapi: '3.0.0', info: { title: 'T', version: '1' }, paths: {} }) })).toMatchObject({ title: 'T' });
    // Enabling it again changes nothing and announces nothing.
    expect(await ok('enable_toolset', { toolsets: ['discover'] })).toEqual({ enabled: ['discover'], added: [] });
    expect(toolsetOf('discover_api')).toBe('discover');
    expect(changed).toBe(1);
  });
});
