// Secrets never appear in logs, errors, reports or state: every text the engine lets out passes through the
// connection's redactor, which knows the config secrets and every credential obtained at run time.
export const REDACTED = '***';

/** Query parameter names whose values are treated as secrets wherever they appear in a URL. */
const SECRET_PARAMS = /^(api[_-]?key|apikey|key|token|access[_-]?token|refresh[_-]?token|client[_-]?secret|password|secret|signature|sig|auth)$/i;

/**
 * Every form a secret takes in what the engine sends and receives: as it is, percent-encoded as a path or query
 * component (encodeURIComponent) and as a form (URLSearchParams: spaces as +, ~!'()* escaped), base64 and
 * base64url (basic auth, tokens), and JSON-escaped (an API that echoes it inside a string). Matched regardless of
 * case, so %7e and %7E, and an API that lower-cases what it echoes, are caught too.
 */
function formsOf(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Redactor {
  readonly #secrets = new Set<string>();
  readonly #forms = new Set<string>();
  #pattern: RegExp | undefined;

  /** Adds values to hide; values shorter than 4 characters are ignored (they would hide ordinary text). */
  add(...values: Array<string | undefined | null>): void {
    for (const value of values) {
      if (typeof value !== 'string' || value.length < 4 || this.#secrets.has(value)) continue;
      this.#secrets.add(value);
      for (const form of formsOf(value)) this.#forms.add(form);
      this.#pattern = undefined;
    }
  }

  get size(): number {
    return this.#secrets.size;
  }

  #regex(): RegExp {
    // Longest first, so a form that contains another is replaced whole.
    this.#pattern ??= new RegExp([...this.#forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'gi');
    return this.#pattern;
  }

  /** The text with every known secret, in any of its forms and any case, replaced by ***. */
  text(text: string): string {
    if (this.#forms.size === 0) return text;
    return text.replace(this.#regex(), REDACTED);
  }

  /** Whether the text holds a known secret in any form: one scan of a page's body before its records go anywhere. */
  finds(text: string): boolean {
    if (this.#forms.size === 0) return false;
    const pattern = this.#regex();
    pattern.lastIndex = 0;
    const found = pattern.test(text);
    pattern.lastIndex = 0;
    return found;
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
