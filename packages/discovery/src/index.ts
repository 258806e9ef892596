// Public entry point of @pullpush/discovery.
export { DiscoveryErrorCode } from './errors.ts';
export { readDescription, type Description, type DescriptionFormat, type DescriptionSource, type Skipped } from './description.ts';
export { discover, discoverDescription } from './discover.ts';
export type * from './model.ts';
export { draftConnector, rankOperations, type Draft, type DraftChoice, type DraftOptions, type DraftReport, type DraftStreamReport } from './draft.ts';
export { MOCK_CREDENTIALS, mockConfig, startMockApi, type MockApi, type MockApiOptions, type MockRequest } from './mock-api.ts';
export { probeEndpoint, type ProbeOptions, type ProbeResult } from './probe.ts';
export { verifyDraft, type VerifyOptions } from './verify.ts';
export { suggestMappings, type MappingSuggestion, type MappingSuggestions } from './mapping-suggestions.ts';
