// Connection secrets at rest: AES-256-GCM envelope encryption. Each sealed value gets its own random data key,
// which is itself sealed with the workspace key (from PULLPUSH_SECRET_KEY or a key file); the stored envelope
// names the key by a fingerprint, so a wrong key is reported as such rather than as corrupt data.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PullPushError } from '@pullpush/canonical';
import { McpErrorCode } from '../errors.ts';

export interface SealedSecret {
  alg: 'A256GCM+A256GCM';
  /** First 16 hex digits of SHA-256 of the workspace key. */
  kid: string;
  /** The data key, sealed with the workspace key: iv.tag.ciphertext in base64url. */
  key: string;
  /** The value, sealed with the data key. */
  value: string;
}

function seal(key: Buffer, plain: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url')).join('.');
}

function open(key: Buffer, sealed: string): Buffer {
  const [iv, tag, data] = sealed.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !data) throw new Error('malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}

export class SecretBox {
  readonly #key: Buffer;
  readonly kid: string;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new PullPushError(McpErrorCode.SecretKey, `The workspace key must be 32 bytes, got ${key.length}.`, { hint: 'Generate one: node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"' });
    this.#key = key;
    this.kid = createHash('sha256').update(key).digest('hex').slice(0, 16);
  }

  seal(value: string): SealedSecret {
    const dataKey = randomBytes(32);
    return { alg: 'A256GCM+A256GCM', kid: this.kid, key: seal(this.#key, dataKey), value: seal(dataKey, Buffer.from(value, 'utf8')) };
  }

  open(secret: SealedSecret, where: string): string {
    if (secret.kid !== this.kid) {
      throw new PullPushError(McpErrorCode.SecretKey, `${where} was sealed with another workspace key (${secret.kid}, this one is ${this.kid}).`, {
        hint: 'Set PULLPUSH_SECRET_KEY (or the key file) to the key the workspace was created with, or recreate the connection.',
      });
    }
    try {
      return open(open(this.#key, secret.key), secret.value).toString('utf8');
    } catch {
      throw new PullPushError(McpErrorCode.SecretKey, `${where} cannot be decrypted: the envelope is damaged.`, { hint: 'Recreate the connection or rotate the secret.' });
    }
  }
}

/** Reads the key from the environment (base64 or hex of 32 bytes) or a key file, creating the file when neither exists. */
export function loadSecretKey(options: { env?: Record<string, string | undefined>; keyFile: string; create?: boolean }): Buffer {
  const text = (options.env ?? process.env)['PULLPUSH_SECRET_KEY'];
  if (text !== undefined) return decodeKey(text, 'PULLPUSH_SECRET_KEY');
  if (existsSync(options.keyFile)) return decodeKey(readFileSync(options.keyFile, 'utf8').trim(), options.keyFile);
  if (options.create === false) {
    throw new PullPushError(McpErrorCode.SecretKey, `No workspace key: PULLPUSH_SECRET_KEY is not set and ${options.keyFile} does not exist.`, { hint: 'Set PULLPUSH_SECRET_KEY to 32 random bytes in base64.' });
  }
  mkdirSync(dirname(options.keyFile), { recursive: true });
  const key = randomBytes(32);
  // Owner-only: the key file is as sensitive as the secrets it protects.
  writeFileSync(options.keyFile, `${key.toString('base64')}\n`, { mode: 0o600 });
  return key;
}

function decodeKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new PullPushError(McpErrorCode.SecretKey, `${where} does not hold a 32-byte key (base64 or hex).`, { hint: 'Generate one: node -e "console.log(crypto.randomBytes(32).toString(\'base64\'))"' });
  return key;
}
