// The API model: what discovery found in a description, each finding with the evidence it rests on and a
// confidence from 0 to 1. Drafting reads only this model, never the description itself.
import type { PaginationSpec, PlacementSpec } from '@pullpush/schema';
import type { DescriptionFormat, Skipped } from './description.ts';
import type { JsonObject } from './json.ts';

/** Why discovery believes something: the description element and what it says. */
export interface Evidence {
  /**
   * JSON pointer into the OpenAPI 3.1 form of the description: the same as the published file for OpenAPI 3.x;
   * for Swagger 2.0 and Postman, into the upgraded document (#/definitions/X is #/components/schemas/X there).
   */
  pointer: string;
  says: string;
}

export interface ServerVariable {
  name: string;
  default?: string;
  enum?: string[];
  description?: string;
}

export interface Server {
  url: string;
  description?: string;
  variables: ServerVariable[];
}

export type AuthKind = 'none' | 'apiKey' | 'bearer' | 'basic' | 'cookie' | 'oauth2AuthorizationCode' | 'oauth2ClientCredentials' | 'unsupported';

/** One security scheme of the description, mapped to a DSL auth kind. */
export interface AuthScheme {
  /** The scheme's name in the description (bearerAuth). */
  name: string;
  kind: AuthKind;
  /** apiKey and cookie: where the key goes and under which name. */
  in?: 'header' | 'query' | 'cookie';
  paramName?: string;
  /** A prefix the description says the key value carries ("Token token="). */
  valuePrefix?: string;
  authorizeUrl?: string;
  tokenUrl?: string;
  /** Every scope the scheme declares. */
  scopes?: string[];
  description?: string;
  evidence: Evidence[];
}

/** A parameter a list operation needs besides pagination: a path, query or header value. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  type?: string;
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

export interface PaginationGuess {
  /** The DSL pagination for this operation ({ kind: "none" } when it returns everything at once). */
  spec: PaginationSpec;
  confidence: number;
  evidence: Evidence[];
  /** Parameters the pagination owns, so drafting does not ask for them. */
  params: string[];
  /** What each part is called in this API: parameter names and body field paths (segments), for the mock API. */
  parts: PaginationParts;
}

export interface PaginationParts {
  pageParam?: string;
  sizeParam?: string;
  offsetParam?: string;
  cursorParam?: string;
  cursorField?: string[];
  /** The cursor is the last record's field of this name (Stripe's starting_after=<last id>). */
  cursorFromRecord?: string;
  nextUrlField?: string[];
  hasMoreField?: string[];
  isLastField?: string[];
  totalField?: string[];
  totalPagesField?: string[];
  linkHeader?: boolean;
}

export interface KeyCandidate {
  /** Dotted path in the record (id). */
  field: string;
  confidence: number;
  evidence: Evidence[];
}

export interface IncrementalCandidate {
  /** Dotted path of the field that grows with each change (updated_at). */
  cursorField: string;
  format: 'iso8601' | 'unixSeconds' | 'unixMillis' | 'date';
  /** The request parameter that filters by it, when the description has one. */
  param?: PlacementSpec;
  confidence: number;
  evidence: Evidence[];
}

export interface ParentLink {
  /** The list operation whose records supply the path parameter. */
  operation: string;
  /** The path parameter it fills. */
  param: string;
  /** The field of the parent record that holds the value (id). */
  field: string;
  confidence: number;
  evidence: Evidence[];
}

export interface RateLimitHint {
  says: string;
  pointer: string;
}

/** A GET (or read-only search) that returns a list of records. */
export interface ListOperation {
  /** operationId, else "GET /path". */
  id: string;
  method: 'GET';
  path: string;
  /** JSON pointer of the operation in the description. */
  pointer: string;
  summary?: string;
  tags: string[];
  deprecated: boolean;
  /** Security requirement alternatives that apply (scheme name → scopes). */
  security: Array<Record<string, string[]>>;
  /** Path, query and header parameters other than pagination and auth. */
  parameters: Parameter[];
  /** Every query parameter the operation declares, pagination and auth ones included (the mock API accepts these). */
  declaredQuery: string[];
  records: {
    /** JSONata path of the array in the body; undefined when the body is the array. */
    path?: string;
    /** Where the record schema is in the description ($ref name when it has one). */
    schemaRef?: string;
    /** The record's schema, plain and acyclic. */
    schema: JsonObject;
    /** The whole 2xx body schema, plain and acyclic (for the mock API). */
    envelope: JsonObject;
    evidence: Evidence[];
  };
  /** Response headers the description declares on the success response (lower case). */
  responseHeaders: string[];
  pagination: PaginationGuess;
  primaryKey: KeyCandidate[];
  incremental: IncrementalCandidate[];
  parent?: ParentLink;
  /** How sure discovery is that this is a list of records worth a stream. */
  confidence: number;
}

export interface ApiModel {
  title: string;
  version?: string;
  description?: string;
  format: DescriptionFormat;
  origin: string;
  sha256: string;
  documentationUrl?: string;
  servers: Server[];
  authSchemes: AuthScheme[];
  /** The description's top-level security requirement alternatives. */
  security: Array<Record<string, string[]>>;
  /** Headers every request should carry (a pinned API version), with where they were found. */
  constantHeaders: Array<{ name: string; value: string; evidence: Evidence[] }>;
  listOperations: ListOperation[];
  /** Counts over the whole description. */
  operations: { total: number; get: number; list: number };
  rateLimits: RateLimitHint[];
  skipped: Skipped[];
}
