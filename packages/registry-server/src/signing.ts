// Ed25519 signatures over what a version is: `name@version:integrity`. A publisher signs it with a key registered to
// its account; the registry checks that and countersigns with its own key, whose public half it serves.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export function signedText(name: string, version: string, integrity: string): string {
  return `${name}@${version}:${integrity}`;
}

export function signText(text: string, privateKeyPem: string): string {
  return sign(null, Buffer.from(text), createPrivateKey(privateKeyPem)).toString('base64');
}

export function verifyText(text: string, signature: string, publicKeyPem: string): boolean {
  try {
    return verify(null, Buffer.from(text), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A public key in PEM as given by a publisher, if it is an Ed25519 key; undefined otherwise. */
export function ed25519PublicKey(pem: string): KeyObject | undefined {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : undefined;
  } catch {
    return undefined;
  }
}

export function generateSigningKey(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
