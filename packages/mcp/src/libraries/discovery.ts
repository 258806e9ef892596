// What the tools use of discovery, loaded on first use (load.ts).
export { discover, draftConnector, MOCK_CREDENTIALS, probeEndpoint, startMockApi, suggestMappings, verifyDraft } from '@pullpush/discovery';
