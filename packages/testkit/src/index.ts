// Public entry point of @pullpush/testkit: local HTTP APIs that behave like real SaaS APIs, for tests and demos.
export { DEFAULT_PUBLIC_ROUTES, startTestApi, type OnRequest, type RecordFields, type TestApi, type TestApiOptions } from './server.ts';
export { DEFAULT_SITE_TIME_ZONE, type PaginationOptions } from './settings.ts';
export type { CompressionOption } from './compression.ts';
export type { RecordedRequest, RequestFilter } from './request-log.ts';
export { listRoutes, type RouteInfo } from './routes/index.ts';
export type { ApiStyle } from './http.ts';
export {
  DEFAULT_SESSION_HEADER,
  SESSION_PATH,
  TOKEN_PATH,
  type ApiKeyAuth,
  type ApiKeyPlace,
  type AuthKind,
  type AuthOptions,
  type BasicAuth,
  type BearerAuth,
  type HeadersAuth,
  type OAuth2ClientCredentialsAuth,
  type OAuth2RefreshTokenAuth,
  type SessionAuth,
  type TokenLifetime,
} from './auth.ts';
export {
  DEFAULT_FOREIGN_ORIGIN,
  DEFAULT_REDIRECT_LOCATION,
  type EndlessCursorFault,
  type Fault,
  type FaultKind,
  type FaultScope,
  type ForeignNextLinkFault,
  type HugeBodyFault,
  type MalformedJsonFault,
  type RedirectFault,
  type ResetFault,
  type SlowBodyFault,
  type StatusFault,
  type TimeoutFault,
  type TrailingEmptyPageFault,
  type TruncatedJsonFault,
} from './faults.ts';
export type { RateLimitOptions } from './rate-limit.ts';
export { DEFAULT_COUNTS, RESOURCES, generateDataset } from './data/dataset.ts';
export { SHOP_CURRENCY } from './data/commerce.ts';
export type * from './data/types.ts';
export { CHILD_COLLECTIONS } from './listing.ts';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './routes/styles.ts';
export { SEARCH_OPERATORS, type SearchFilter, type SearchOperator, type SearchRequest } from './routes/search.ts';
export { WRITABLE_RESOURCES } from './routes/writes.ts';
export { isPullRequest } from './routes/github.ts';
export { jiraAccountId } from './routes/jira.ts';
export { stripeCustomerId } from './routes/stripe.ts';
export { REDMINE_PUBLIC_ROUTES, redmineAuth } from './routes/redmine.ts';
export { integerUserId } from './integer-ids.ts';
export { IDEMPOTENCY_HEADER } from './idempotency.ts';
export { BASE_DATE } from './time.ts';
export { SHOP_CUSTOMER_WRITES, SHOP_WRITES } from './shop-writes.ts';
export {
  SHOP_CONNECTOR_ID,
  SHOP_LOOKBACK_SECONDS,
  SHOP_STREAMS,
  shopConnectorDefinition,
  type ShopConnectorConfig,
  type ShopConnectorOAuthConfig,
  type ShopConnectorOptions,
  type ShopStream,
} from './shop-connector.ts';
export {
  REDMINE_CONNECTOR_ID,
  redmineConnectorDefinition,
  type RedmineConnectorConfig,
  type RedmineConnectorOptions,
} from './redmine-connector.ts';
export { Random, hashString, mulberry32 } from './prng.ts';
