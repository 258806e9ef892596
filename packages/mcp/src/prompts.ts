// Prompts: the two workflows an assistant runs most — building a connector from API documentation, and
// debugging a stream that fails.
import type { GetPromptResult, Prompt } from '@modelcontextprotocol/sdk/types.js';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from './errors.ts';

const PROMPTS: Array<Prompt & { render(args: Record<string, string>): string }> = [
  {
    name: 'build_connector',
    title: 'Build a connector',
    description: 'Discover → generate → validate → test → publish: build a verified PullPush connector for an API.',
    arguments: [
      { name: 'api', description: 'The API: its name and documentation or OpenAPI URL.', required: true },
      { name: 'data', description: 'What to read: e.g. "orders, customers and stock levels".', required: false },
    ],
    render: (args) => `Build a PullPush connector for ${args['api']}${args['data'] ? ` that reads ${args['data']}` : ''}.

1. Discover: if the API publishes an OpenAPI description or a Postman collection, call discover_api with its url (or path): servers, auth, and the list operations with pagination and confidence. If it has only HTML documentation, read it for the base URL, auth, paging and incremental filter, store a connection, and call probe_endpoint on a list endpoint to see the records, the key and the pagination style.
2. Model: call list_canonical_types and get_canonical_type for the types the data fits (commerce.order, crm.contact, …). For a description, generate_connector does this for each stream (a type and a mapping where the record fits one); suggest_mappings drafts a mapping from a sample record otherwise.
3. Generate: with a description, generate_connector (streams: the operations you want; verify: true tests the draft against the description's mock API; save: true stores it). Read its report: every choice has a confidence and evidence, and "review" lists what to check. Without one, create_definition with one stream per endpoint (get_connector_schema with section "outline", then the sections you need). Secrets only in config (secret: true) and auth.
4. Validate: validate_definition; fix every error at its pointer (update_definition with a JSON Patch); explain_error for a code you do not understand. Repeat until valid.
5. Test: test_connector with a config holding test credentials (read-only: nothing is written to the API). Read the report: auth, pages, pagination end, mapping failures with pointers; map_record on a failing sample; fix and test again until the verdict passes.
6. Connect and run: create_connection (secrets are stored encrypted), then run_sync and sync_status.
7. Publish when the test passes on real data.`,
  },
  {
    name: 'debug_failing_stream',
    title: 'Debug a failing stream',
    description: 'Find out why a stream fails (auth, pagination, mapping, validation) and fix the definition.',
    arguments: [
      { name: 'definition', description: 'Definition id in the workspace.', required: true },
      { name: 'stream', description: 'The stream that fails.', required: true },
      { name: 'connection', description: 'Connection to test with.', required: false },
    ],
    render: (args) => `The stream ${args['stream']} of connector ${args['definition']} fails. Find out why and fix it.

1. test_stream (definition ${args['definition']}, stream ${args['stream']}${args['connection'] ? `, connection ${args['connection']}` : ''}): read the requests (status, redacted URL), pages, pagination end reason and failures.
2. By symptom: 401/403 → check_auth and the auth section; a pagination loop or early end → the pagination section against the API's paging; failures with pointers → map_record on the sample native record, get_canonical_type for the field's rules; no records → the records path.
3. If a run failed: get_run and list_runs show the error of each stream; get_state shows the stored cursor (reset_state to read from the start).
4. Fix with update_definition (JSON Patch), validate_definition, then test_stream again until it passes.`,
  },
];

export function listPrompts(): Prompt[] {
  return PROMPTS.map(({ render: _render, ...prompt }) => prompt);
}

export function getPrompt(name: string, args: Record<string, string>): GetPromptResult {
  const prompt = PROMPTS.find((candidate) => candidate.name === name);
  if (!prompt) throw new PullPushError(McpErrorCode.NotFound, `No prompt named "${name}".`, { hint: `Prompts: ${PROMPTS.map((p) => p.name).join(', ')}.` });
  for (const argument of prompt.arguments ?? []) {
    if (argument.required && !args[argument.name]) {
      throw new PullPushError(McpErrorCode.InvalidArguments, `The prompt ${name} needs the argument "${argument.name}".`, { hint: argument.description ?? '' });
    }
  }
  return { description: prompt.description, messages: [{ role: 'user', content: { type: 'text', text: prompt.render(args) } }] };
}
