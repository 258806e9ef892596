// The typed client of the PullPush registry, on ky: accounts, tokens, keys, publish, info, search, download and
// install. A download is verified before anything uses it: the artifact's integrity, the publisher's signature and
// the registry's countersignature; install then writes the definition and records it in a lockfile.
import { PullPushError } from '@pullpush/canonical';
import {
  definitionArtifact,
  type RegistryAccountResult,
  type RegistryAuditEntry,
  type RegistryAuditLog,
  type RegistryDeprecateRequest,
  type RegistryDistTagResult,
  type RegistryKeyResult,
  type RegistryKeys,
  type RegistryPackageInfo,
  type RegistryPublisherKey,
  type RegistryPublishRequest,
  type RegistryPublishResult,
  type RegistrySearchHit,
  type RegistrySearchResults,
  type RegistryTokenResult,
  type RegistryVersionDownload,
  type RegistryVersionInfo,
  type RegistryYankRequest,
} from '@pullpush/schema';
import ky, { HTTPError, type KyInstance } from 'ky';
import { createPublicKey, sign, verify } from 'node:crypto';
import { RegistryClientErrorCode } from './errors.ts';

export interface RegistryClientOptions {
  /** The registry's URL (https://registry.example.com, or http://127.0.0.1:port for a local one). */
  url: string;
  /** A registry token (pp_pub_… or pp_read_…); reads need none. */
  token?: string;
  /** The registry keys to trust (id → PEM); default: the ones the registry serves, fetched once. */
  registryKeys?: Record<string, string>;
  /** Timeout of one request in ms (default 30 s). */
  timeoutMs?: number;
}

// The documents of the registry's API, from the TypeBox schemas the server checks and describes them with.
export type VersionInfo = RegistryVersionInfo;
export type PackageInfo = RegistryPackageInfo;
export type SearchResult = RegistrySearchHit;

/** A downloaded version whose integrity and both signatures were checked. */
export interface VerifiedVersion {
  name: string;
  version: string;
  integrity: string;
  /** The canonical JSON text, exactly as published. */
  artifact: string;
  definition: Record<string, unknown>;
  deprecated: string | null;
}

export interface PublishSigner {
  /** The id of a key registered to the account (addKey). */
  keyId: string;
  /** Its Ed25519 private key in PEM. */
  privateKey: string;
}

export class RegistryClient {
  readonly url: string;
  readonly #http: KyInstance;
  readonly #trusted: Record<string, string> | undefined;
  #registryKeys: Promise<Record<string, string>> | undefined;

  constructor(options: RegistryClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.#trusted = options.registryKeys;
    this.#http = ky.create({
      prefix: `${this.url}/`,
      timeout: options.timeoutMs ?? 30_000,
      // Reads are retried on failures that pass; a 429 is not: the registry's Retry-After can be an hour away, and
      // its REGISTRY_RATE_LIMITED says when.
      retry: { limit: 2, methods: ['get'], statusCodes: [408, 500, 502, 503, 504] },
      headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    });
  }

  async createAccount(name: string): Promise<RegistryAccountResult> {
    return this.#call<RegistryAccountResult>(() => this.#http.post('-/accounts', { json: { name } }).json());
  }

  async createToken(scope: 'read' | 'publish'): Promise<string> {
    return (await this.#call<RegistryTokenResult>(() => this.#http.post('-/tokens', { json: { scope } }).json())).token;
  }

  async addKey(publicKey: string): Promise<string> {
    return (await this.#call<RegistryKeyResult>(() => this.#http.post('-/keys', { json: { publicKey } }).json())).id;
  }

  /** Publishes a definition with its passing read-only test report, signing `name@version:integrity`. */
  async publish(name: string, definition: unknown, report: unknown, signer: PublishSigner): Promise<RegistryPublishResult> {
    const { integrity } = definitionArtifact(definition);
    const version = String((definition as { version?: unknown }).version);
    const value = sign(null, Buffer.from(`${name}@${version}:${integrity}`), signer.privateKey).toString('base64');
    const body = { definition, report, signature: { keyId: signer.keyId, value } } as RegistryPublishRequest;
    return this.#call<RegistryPublishResult>(() => this.#http.put(`packages/${name}`, { json: body }).json());
  }

  async info(name: string): Promise<PackageInfo> {
    return this.#call<PackageInfo>(() => this.#http.get(`packages/${name}`).json());
  }

  async search(query: string, limit = 20): Promise<SearchResult[]> {
    return (await this.#call<RegistrySearchResults>(() => this.#http.get('-/search', { searchParams: { q: query, limit } }).json())).results;
  }

  /** The audit log of the token's account: what it did and what was done to its packages, newest first. */
  async audit(limit = 100): Promise<RegistryAuditEntry[]> {
    return (await this.#call<RegistryAuditLog>(() => this.#http.get('-/audit', { searchParams: { limit } }).json())).entries;
  }

  async setDistTag(name: string, tag: string, version: string): Promise<Record<string, string>> {
    return (await this.#call<RegistryDistTagResult>(() => this.#http.put(`packages/${name}/dist-tags/${tag}`, { json: { version } }).json())).distTags;
  }

  async deprecate(name: string, message: string, version?: string): Promise<void> {
    await this.#call(() => this.#http.post(`packages/${name}/deprecate`, { json: { message, ...(version === undefined ? {} : { version }) } satisfies RegistryDeprecateRequest }).json());
  }

  async yank(name: string, version: string, yanked = true): Promise<void> {
    await this.#call(() => this.#http.post(`packages/${name}/${version}/yank`, { json: { yanked } satisfies RegistryYankRequest }).json());
  }

  /** Downloads one exact version and verifies it: integrity, the publisher's signature, the registry's countersignature. */
  async download(name: string, version: string, expectedIntegrity?: string): Promise<VerifiedVersion> {
    const found = await this.#call<RegistryVersionDownload>(() => this.#http.get(`packages/${name}/${version}`).json());
    const { integrity } = definitionArtifact(JSON.parse(found.artifact) as unknown);
    const shown = `${name}@${found.version}`;
    if (integrity !== found.integrity || (expectedIntegrity !== undefined && integrity !== expectedIntegrity)) {
      throw new PullPushError(RegistryClientErrorCode.Integrity, `${shown}: the artifact does not match its integrity (${(expectedIntegrity ?? found.integrity).slice(0, 24)}…); nothing was written.`, {
        hint: 'The registry or something between served other bytes. Try again; if it persists, report it to the registry.',
      });
    }
    const text = `${name}@${found.version}:${integrity}`;
    const publisher = await this.#call<RegistryPublisherKey>(() => this.#http.get(`-/keys/${found.keyId}`).json()).catch(() => undefined);
    if (!publisher || !verifySignature(text, found.signature, publisher.publicKey)) {
      throw new PullPushError(RegistryClientErrorCode.Signature, `${shown}: the publisher's signature does not verify with key ${found.keyId}; nothing was written.`, { hint: 'Do not use this version; report it to the registry.' });
    }
    const registryKeys = await this.#registryKeysOnce();
    const registryKey = registryKeys[found.registryKeyId];
    if (!registryKey || !verifySignature(text, found.countersignature, registryKey)) {
      throw new PullPushError(RegistryClientErrorCode.Signature, `${shown}: the registry's countersignature does not verify with a trusted registry key; nothing was written.`, {
        hint: 'Check the registry URL; if you pinned registry keys, check they are this registry\'s.',
      });
    }
    return { name, version: found.version, integrity, artifact: found.artifact, definition: JSON.parse(found.artifact) as Record<string, unknown>, deprecated: found.deprecated };
  }

  #registryKeysOnce(): Promise<Record<string, string>> {
    if (this.#trusted) return Promise.resolve(this.#trusted);
    this.#registryKeys ??= this.#call<RegistryKeys>(() => this.#http.get('-/registry-keys').json()).then(({ keys }) =>
      Object.fromEntries(keys.map((key) => [key.id, key.publicKey])),
    );
    return this.#registryKeys;
  }

  /** Runs a request; a refusal of the registry becomes a PullPushError with its code, message and hint. */
  async #call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof HTTPError) {
        // ky has read the body already: its parsed JSON is error.data.
        const body = (typeof error.data === 'object' ? error.data : undefined) as { error?: { code?: string; message?: string; hint?: string } } | undefined;
        const code = body?.error?.code ?? RegistryClientErrorCode.Http;
        throw new PullPushError(code, body?.error?.message ?? `The registry answered ${error.response.status}.`, body?.error?.hint ? { hint: body.error.hint } : {});
      }
      throw new PullPushError(RegistryClientErrorCode.Network, `Cannot reach the registry at ${this.url}: ${(error as Error).message}`, { hint: 'Check the registry URL and the network.', cause: error });
    }
  }
}

function verifySignature(text: string, signature: string, publicKeyPem: string): boolean {
  try {
    return verify(null, Buffer.from(text), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
