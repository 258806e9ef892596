// Secrets never appear in logs, errors, reports or state: every text the engine lets out passes through the
// connection's redactor, which knows the config secrets and every credential obtained at run time.
export const REDACTED = '***';

/** Query parameter names whose values are treated as secrets wherever they appear in a URL. */
const SECRET_PARAMS = /^(api[_-]?key|apikey|key|token|access[_-]?token|refresh[_-]?token|client[_-]?secret|password|secret|signature|sig|auth)$/i;

export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Adds values to hide; values shorter than 4 characters are ignored (they would hide ordinary text). */
  add(...values: Array<string | undefined | null>): void {
    for (const value of values) {
      if (typeof value !== 'string' || value.length < 4 || this.#secrets.has(value)) continue;
      this.#secrets.add(value);
      // Encoded forms appear in URLs and basic-auth headers.
      this.#secrets.add(encodeURIComponent(value));
      this.#secrets.add(Buffer.from(value).toString('base64'));
      this.#pattern = undefined;
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  /** The text with every known secret replaced by ***. */
  text(text: string): string {
    if (this.#secrets.size === 0) return text;
    this.#pattern ??= new RegExp(
      [...this.#secrets].sort((a, b) => b.length - a.length).map((secret) => secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
      'g',
    );
    return text.replace(this.#pattern, REDACTED);
  }

  /** A URL fit to show: known secrets, credential-like query values and userinfo replaced. */
  url(url: string | URL): string {
    let parsed: URL;
    try {
      parsed = new URL(String(url));
    } catch {
      return this.text(String(url));
    }
    if (parsed.username || parsed.password) {
      parsed.username = parsed.username ? REDACTED : '';
      parsed.password = parsed.password ? REDACTED : '';
    }
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, REDACTED);
    }
    return this.text(parsed.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
  }

  /** Deep copy of a JSON-like value with every string redacted. */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item) => this.value(item)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.value(item)])) as T;
    }
    return value;
  }
}
