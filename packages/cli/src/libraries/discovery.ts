// The libraries of the discovery commands (discover, draft, mock, probe), loaded when one of them runs.
export { discover, draftConnector, mockConfig, MOCK_CREDENTIALS, probeEndpoint, rankOperations, startMockApi, verifyDraft } from '@pullpush/discovery';
export { loadConfig, networkOptions } from '../inputs.ts';
