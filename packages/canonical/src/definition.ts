// What a canonical type is: a name, an integer major version, a schema and the fields that make its key.
import type { Static, TSchema } from 'typebox';

export interface CanonicalTypeDefinition<S extends TSchema = TSchema> {
  /** `<domain>.<name>`, lower case: `commerce.order`. */
  readonly name: string;
  /** Integer major version; a breaking change makes a new version with an upcaster from the previous one. */
  readonly version: number;
  readonly title: string;
  readonly description: string;
  /** The record schema, built from the conventions' building blocks. */
  readonly schema: S;
  /**
   * Dotted paths of the fields whose values make the record's canonical key, in order.
   * Most types use the source identity; natural keys (stock level: sku + location) are declared here.
   */
  readonly key: readonly string[];
}

/** The TypeScript type of a canonical type's records. */
export type CanonicalRecordOf<D extends CanonicalTypeDefinition> = Static<D['schema']>;

/** The default key: the record's identity in its source. */
export const REMOTE_KEY = ['remote.connector', 'remote.connection', 'remote.id'] as const;

export function defineCanonicalType<S extends TSchema>(definition: CanonicalTypeDefinition<S>): CanonicalTypeDefinition<S> {
  return Object.freeze({ ...definition, key: Object.freeze([...definition.key]) });
}

/** `commerce.order@1` */
export function typeRef(definition: Pick<CanonicalTypeDefinition, 'name' | 'version'>): string {
  return `${definition.name}@${definition.version}`;
}

export const TYPE_NAME_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Parses `commerce.order` or `commerce.order@1`; returns undefined for anything else. */
export function parseTypeRef(ref: string): { name: string; version?: number } | undefined {
  const match = /^([^@]+)(?:@([1-9][0-9]*))?$/.exec(ref);
  if (!match?.[1] || !TYPE_NAME_PATTERN.test(match[1])) return undefined;
  return match[2] === undefined ? { name: match[1] } : { name: match[1], version: Number(match[2]) };
}
