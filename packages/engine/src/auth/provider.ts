// What every auth kind's runtime is: a provider that adds credentials to requests (only to allowed hosts: the HTTP
// layer refuses others before anything is sent), fetches and refreshes tokens, and reports every credential it
// learns to the redactor.
import { PullPushError } from '@pullpush/canonical';
import { EngineErrorCode } from '../errors.ts';
import type { HttpClient } from '../net/http-client.ts';
import type { Redactor } from '../redact.ts';
import type { SiteTable } from '../sites.ts';

export interface PreparedRequest {
  url: URL;
  headers: Record<string, string>;
}

export interface AuthProvider {
  /** Adds credentials to a request about to be sent. */
  apply(request: PreparedRequest): Promise<void>;
  /** Called after a 401 (or a refreshAuth filter): drop cached tokens; true when a retry may succeed. */
  invalidate(): boolean;
}

export interface AuthContext {
  /** The connection config with its secrets: auth is where they may go. */
  config: Record<string, unknown>;
  http: HttpClient;
  redactor: Redactor;
  baseUrl: URL;
  sites: SiteTable;
  /** Called when the server rotates a refresh token: persist `value` under config key `key`. */
  onConfigUpdate?: (key: string, value: string) => void | Promise<void>;
}

export function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function authError(message: string, hint: string): PullPushError {
  return new PullPushError(EngineErrorCode.Auth, message, { hint });
}

/** Renders the auth template at `/auth/<key>` (empty when absent). */
export async function render(context: AuthContext, key: string): Promise<string> {
  const template = context.sites.optionalTemplate(`/auth/${key}`, 'auth');
  return template === undefined ? '' : text(await template.render({ config: context.config }));
}

/** Renders a credential: its value is redacted from then on. */
export async function secret(context: AuthContext, key: string): Promise<string> {
  const value = await render(context, key);
  context.redactor.add(value);
  return value;
}

/** A provider that adds nothing that could expire. */
export function staticProvider(apply: (request: PreparedRequest) => void): AuthProvider {
  return { apply: async (request) => apply(request), invalidate: () => false };
}

export function bearer(request: PreparedRequest, token: string): void {
  request.headers['authorization'] = `Bearer ${token}`;
}

export function basicCredentials(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}
