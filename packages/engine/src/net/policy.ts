// The network policy of a connection: which hosts, schemes and addresses requests may use. It comes from the
// definition (base URL host, token URLs, declared extra hosts) and from the embedding application (private
// addresses, plain http), never from the definition alone.
import { PullPushError } from '@pullpush/canonical';
import { EngineErrorCode } from '../errors.ts';
import type { Redactor } from '../redact.ts';
import { isLoopbackAddress, isPrivateAddress } from './address.ts';
import { isIP } from 'node:net';

export interface NetworkOptions {
  /** Allow private and loopback addresses (default false). `'loopback'` allows 127.0.0.0/8 and ::1 only (tests). */
  allowPrivateNetwork?: boolean | 'loopback';
  /** Allow plain http URLs (default false). */
  allowInsecureHttp?: boolean;
  /** Cap on one response body in bytes (default 50 MiB). */
  maxResponseBytes?: number;
  /** Timeout of one attempt in ms (default: the definition's http.timeoutMs, else 30 s). */
  timeoutMs?: number;
  /** Same-host redirects followed (default 5). */
  maxRedirects?: number;
}

/** Whether a URL's host is one of `hosts`: a name (any port only where none is given), a name with a port, or *.suffix. */
export function hostMatches(url: URL, hosts: readonly string[]): boolean {
  const host = url.host.toLowerCase();
  const hostname = url.hostname.toLowerCase();
  return hosts.some((entry) => {
    const allowed = entry.toLowerCase();
    if (allowed.startsWith('*.')) return hostname.endsWith(allowed.slice(1)) && hostname !== allowed.slice(2);
    return allowed === host || (!allowed.includes(':') && allowed === hostname && url.port === '');
  });
}

/** Hints in the embedding application's terms are its own to give (the CLI names its flags); these name the setting. */
export const PRIVATE_ADDRESS_HINT =
  'Requests to private, loopback and link-local addresses are refused unless the application running the connector allows them (a self-hosted or local API).';
export const INSECURE_URL_HINT = 'Definitions must use https; only the application running the connector may allow plain http (a local or test API).';

export class NetworkPolicy {
  readonly #hosts: readonly string[];
  readonly allowPrivateNetwork: boolean | 'loopback';
  readonly allowInsecureHttp: boolean;
  readonly maxResponseBytes: number;
  readonly maxRedirects: number;
  readonly redactor: Redactor;

  constructor(hosts: Iterable<string>, options: NetworkOptions, redactor: Redactor) {
    this.redactor = redactor;
    this.#hosts = [...new Set([...hosts].map((host) => host.toLowerCase()))];
    this.allowPrivateNetwork = options.allowPrivateNetwork ?? false;
    this.allowInsecureHttp = options.allowInsecureHttp ?? false;
    this.maxResponseBytes = options.maxResponseBytes ?? 50 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 5;
  }

  get hosts(): readonly string[] {
    return this.#hosts;
  }

  hostAllowed(url: URL): boolean {
    return hostMatches(url, this.#hosts);
  }

  addressAllowed(address: string): boolean {
    if (!isPrivateAddress(address)) return true;
    if (this.allowPrivateNetwork === true) return true;
    return this.allowPrivateNetwork === 'loopback' && isLoopbackAddress(address);
  }

  /** Throws unless a request to `url` is allowed before any connection is made. */
  assertAllowed(url: URL, stream: string): void {
    const shown = this.redactor.url(url);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.allowInsecureHttp)) {
      throw new PullPushError(EngineErrorCode.InsecureUrl, `Refused ${shown} for stream ${stream}: only https is allowed.`, {
        hint: INSECURE_URL_HINT,
      });
    }
    if (!this.hostAllowed(url)) {
      throw new PullPushError(EngineErrorCode.HostNotAllowed, `Refused ${shown} for stream ${stream}: host ${url.host} is not allowed.`, {
        hint: `Allowed hosts: ${this.#hosts.join(', ')}. Declare extra hosts in http.allowedHosts.`,
      });
    }
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !this.addressAllowed(literal)) {
      throw new PullPushError(EngineErrorCode.PrivateAddress, `Refused ${shown} for stream ${stream}: ${literal} is a private or reserved address.`, {
        hint: PRIVATE_ADDRESS_HINT,
      });
    }
  }
}
