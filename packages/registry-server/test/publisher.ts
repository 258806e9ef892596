// A publisher over plain HTTP for the server's own tests: an account, a registered Ed25519 key, and publishes of a
// definition with a report of the shape the engine writes for a passing read-only test of exactly that definition
// (the real report is published end to end in tools/test and the CLI's tests).
import { generateKeyPairSync, sign } from 'node:crypto';
import { definitionArtifact } from '@pullpush/schema';

export interface Publisher {
  token: string;
  publish(name: string, definition: Record<string, unknown>): Promise<Response>;
}

export async function publisher(url: string, account: string): Promise<Publisher> {
  const send = (method: string, path: string, body: unknown, token?: string) =>
    fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const { token } = (await (await send('POST', '/-/accounts', { name: account })).json()) as { token: string };
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { id: keyId } = (await (await send('POST', '/-/keys', { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }, token)).json()) as { id: string };
  return {
    token,
    publish(name, definition) {
      const { integrity } = definitionArtifact(definition);
      const version = String(definition['version']);
      const streams = Object.keys(definition['streams'] as object).map((stream) => ({ stream, verdict: 'pass' }));
      const report = { connector: definition['id'], definitionVersion: version, integrity, startedAt: '2026-11-30T08:00:00.000Z', verdict: 'pass', auth: { ok: true }, streams };
      const value = sign(null, Buffer.from(`${name}@${version}:${integrity}`), privateKey).toString('base64');
      return send('PUT', `/packages/${name}`, { definition, report, signature: { keyId, value } }, token);
    },
  };
}
