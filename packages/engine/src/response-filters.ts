// Response filters (the DSL's `responseFilters`): they classify a response — retry, rateLimited, refreshAuth,
// ignore, fail — and the HTTP client and the read act on the verdict. The first filter whose status and body
// condition match decides; without one, the status does (see HttpClient.defaultVerdict). The body is parsed once,
// and only when a filter asks.
import type { ResponseFilterSpec } from '@pullpush/schema';
import type { HttpClient, ReceivedResponse, Verdict } from './net/http-client.ts';
import { pointer } from './pointer.ts';
import type { SiteExpression, SiteTable } from './sites.ts';

interface Filter {
  spec: ResponseFilterSpec;
  matches: SiteExpression<'responseFilter'> | undefined;
}

function verdictOf(spec: ResponseFilterSpec): Verdict {
  return spec.message === undefined ? { action: spec.action } : { action: spec.action, message: spec.message };
}

export class ResponseFilters {
  readonly #filters: Filter[];
  readonly #config: Record<string, unknown>;
  readonly #http: HttpClient;

  constructor(specs: readonly ResponseFilterSpec[], sites: SiteTable, config: Record<string, unknown>, http: HttpClient) {
    this.#filters = specs.map((spec, index) => ({ spec, matches: sites.optionalExpression(pointer('responseFilters', index, 'bodyMatches'), 'responseFilter') }));
    this.#config = config;
    this.#http = http;
  }

  /** The verdict on a response: the first matching filter's action, else the status's. */
  readonly classify = async (response: ReceivedResponse): Promise<Verdict> => {
    let body: unknown;
    let parsed = false;
    for (const { spec, matches } of this.#filters) {
      if (spec.status !== undefined && !spec.status.includes(response.status)) continue;
      if (matches) {
        if (!parsed) {
          parsed = true;
          try {
            body = JSON.parse(response.body.toString('utf8'));
          } catch {
            body = undefined;
          }
        }
        if (body === undefined || !(await matches.evaluate(body, { config: this.#config, status: response.status, headers: Object.fromEntries(response.headers) }))) continue;
      }
      return verdictOf(spec);
    }
    return this.#http.defaultVerdict(response);
  };
}
