// TypeScript types of the DSL's parts, for code that builds or reads definitions.
import type { Static } from 'typebox';
import type { Auth } from './auth.ts';
import type { Placement } from './building-blocks.ts';
import type { HttpSettings, Request, ResponseFilter } from './http.ts';
import type { RateLimits, Retry } from './limits.ts';
import type { FieldMapping, Incremental, Mapping, Pagination, Partitions, Records, Stream } from './stream.ts';
import type { Match, TypeWrites, Webhooks, WriteOperation } from './writes.ts';
import type { Destination } from './flow.ts';

export type AuthSpec = Static<typeof Auth>;
export type HttpSpec = Static<typeof HttpSettings>;
export type RequestSpec = Static<ReturnType<typeof Request>>;
export type PlacementSpec = Static<typeof Placement>;
export type ResponseFilterSpec = Static<typeof ResponseFilter>;
export type RateLimitsSpec = Static<typeof RateLimits>;
export type RetrySpec = Static<typeof Retry>;
export type StreamSpec = Static<typeof Stream>;
export type PaginationSpec = Static<typeof Pagination>;
export type RecordsSpec = Static<typeof Records>;
export type IncrementalSpec = Static<typeof Incremental>;
export type PartitionsSpec = Static<typeof Partitions>;
export type MappingSpec = Static<typeof Mapping>;
export type FieldMappingSpec = Static<ReturnType<typeof FieldMapping>>;
export type WriteOperationSpec = Static<typeof WriteOperation>;
export type TypeWritesSpec = Static<typeof TypeWrites>;
export type MatchSpec = Static<typeof Match>;
export type WebhooksSpec = Static<typeof Webhooks>;
export type DestinationSpec = Static<typeof Destination>;
