// A document fetched whole through the engine's network policy (https only, no private addresses unless the
// application allows them, same-host redirects, a size cap, retries): how discovery reads an API description
// from a URL. Nothing is sent but a GET with no credentials.
import { PullPushError } from '@pullpush/canonical';
import { EngineErrorCode } from './errors.ts';
import { DEFAULT_RETRY, HttpClient } from './net/http-client.ts';
import { NetworkPolicy, type NetworkOptions } from './net/policy.ts';
import { RateLimiter } from './net/rate-limiter.ts';
import { Redactor } from './redact.ts';

export interface FetchedDocument {
  /** The final URL, after same-host redirects. */
  url: string;
  contentType: string;
  text: string;
}

export async function fetchDocument(url: string, options: NetworkOptions & { signal?: AbortSignal } = {}): Promise<FetchedDocument> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new PullPushError(EngineErrorCode.InvalidUrl, `"${url}" is not a URL.`, { hint: 'Give an absolute https URL.' });
  }
  const { signal, ...network } = options;
  const policy = new NetworkPolicy([target.host], network, new Redactor());
  const http = new HttpClient(policy, DEFAULT_RETRY, new RateLimiter(), options.timeoutMs ?? 30_000, true);
  try {
    const response = await http.send({ method: 'GET', url: target, headers: { accept: 'application/json, application/yaml, text/yaml, */*' }, stream: 'document' }, { signal });
    if (response.status < 200 || response.status >= 300) {
      throw new PullPushError(EngineErrorCode.HttpStatus, `GET ${policy.redactor.url(response.url)} answered ${response.status}.`, { hint: 'Check the URL of the document; it must be readable without credentials.' });
    }
    return { url: response.url.toString(), contentType: response.headers.get('content-type') ?? '', text: response.body.toString('utf8') };
  } finally {
    await http.close();
  }
}
