// A definition as it is published and verified: its RFC 8785 canonical JSON text, the same bytes whatever the key
// order or whitespace of the file, and the SRI sha512 digest of that text. A test report names the digest of what
// it tested, so a registry can tell that a report belongs to exactly the definition being published.
import { canonicalJson } from '@pullpush/canonical';
import { createHash } from 'node:crypto';

export interface DefinitionArtifact {
  /** RFC 8785 canonical JSON of the definition. */
  text: string;
  /** `sha512-<base64>` of the text (Subresource Integrity). */
  integrity: string;
}

export function definitionArtifact(definition: unknown): DefinitionArtifact {
  const text = canonicalJson(definition);
  if (text === undefined) throw new TypeError('A definition must be a JSON value.');
  return { text, integrity: `sha512-${createHash('sha512').update(text).digest('base64')}` };
}
