// The catalogue of canonical types: the built-in ones plus those an application registers, by name and
// version. Registration checks a user type against the same conventions the built-in types follow.
import { checkConventions } from './check-conventions.ts';
import { parseTypeRef, typeRef, type CanonicalTypeDefinition } from './definition.ts';
import { CanonicalErrorCode, PullPushError, formatIssues } from './errors.ts';
import { builtinTypes } from './types/index.ts';

/** Migrates a record of `name@from` to `name@(from + 1)`. It must be pure: same input, same output. */
export interface Upcaster {
  name: string;
  from: number;
  upcast: (record: Record<string, unknown>) => Record<string, unknown>;
}

export class CanonicalRegistry {
  readonly #types = new Map<string, Map<number, CanonicalTypeDefinition>>();
  readonly #upcasters = new Map<string, Upcaster>();
  /** Resolved references (`commerce.order`, `commerce.order@1`); cleared when a type is added. */
  readonly #resolved = new Map<string, CanonicalTypeDefinition>();

  constructor(definitions: Iterable<CanonicalTypeDefinition> = builtinTypes) {
    for (const definition of definitions) this.#add(definition);
  }

  #add(definition: CanonicalTypeDefinition): void {
    const versions = this.#types.get(definition.name) ?? new Map<number, CanonicalTypeDefinition>();
    if (versions.has(definition.version)) {
      throw new PullPushError(CanonicalErrorCode.DuplicateType, `Canonical type ${typeRef(definition)} is already registered.`, {
        hint: 'Register a breaking change as the next version, with an upcaster from the previous one.',
      });
    }
    versions.set(definition.version, definition);
    this.#types.set(definition.name, versions);
    this.#resolved.clear();
  }

  /** Adds a type after checking it against the canonical conventions; throws with every violation. */
  register(definition: CanonicalTypeDefinition): CanonicalTypeDefinition {
    const issues = checkConventions(definition);
    if (issues.length > 0) {
      throw new PullPushError(
        CanonicalErrorCode.ConventionViolation,
        `Canonical type ${typeRef(definition)} breaks the canonical conventions:\n${formatIssues(issues)}`,
        {
          hint: 'Build the schema with CanonicalRecord() and the building blocks (Money, Timestamp, Enumerated, Nullable…).',
          issues,
        },
      );
    }
    this.#add(definition);
    return definition;
  }

  /** Registers the migration from `name@from` to `name@(from + 1)`; both versions must be registered. */
  registerUpcaster(upcaster: Upcaster): void {
    const target = `${upcaster.name}@${upcaster.from + 1}`;
    if (!this.find(upcaster.name, upcaster.from) || !this.find(upcaster.name, upcaster.from + 1)) {
      throw new PullPushError(CanonicalErrorCode.UnknownType, `Cannot register an upcaster ${upcaster.name}@${upcaster.from} → ${target}: both versions must be registered first.`, {
        hint: 'Register the new version with register() before its upcaster.',
      });
    }
    const id = `${upcaster.name}@${upcaster.from}`;
    if (this.#upcasters.has(id)) {
      throw new PullPushError(CanonicalErrorCode.DuplicateType, `An upcaster from ${id} is already registered.`);
    }
    this.#upcasters.set(id, upcaster);
  }

  /** The upcaster from `name@from` to the next version, if any. */
  upcasterFrom(name: string, from: number): Upcaster | undefined {
    return this.#upcasters.get(`${name}@${from}`);
  }

  /** The type of that name at `version`, or at its latest version; undefined when there is none. */
  find(name: string, version?: number): CanonicalTypeDefinition | undefined {
    const versions = this.#types.get(name);
    if (!versions) return undefined;
    if (version !== undefined) return versions.get(version);
    return versions.get(Math.max(...versions.keys()));
  }

  /** Every registered type, every version, sorted by name then version. */
  list(): CanonicalTypeDefinition[] {
    return [...this.#types.values()]
      .flatMap((versions) => [...versions.values()])
      .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  /** Resolves `commerce.order@1`, `commerce.order` (latest) or `(name, version)`; throws CANONICAL_UNKNOWN_TYPE. */
  get(ref: string, version?: number): CanonicalTypeDefinition {
    const cacheKey = version === undefined ? ref : `${ref}\u0000${version}`;
    const cached = this.#resolved.get(cacheKey);
    if (cached) return cached;
    const found = this.#lookup(ref, version);
    this.#resolved.set(cacheKey, found);
    return found;
  }

  #lookup(ref: string, version?: number): CanonicalTypeDefinition {
    const parsed = parseTypeRef(ref);
    const wanted = version ?? parsed?.version;
    const found = parsed ? this.find(parsed.name, wanted) : undefined;
    if (found) return found;
    const known = parsed ? this.#types.get(parsed.name) : undefined;
    const hint = known
      ? `Known versions of ${parsed?.name}: ${[...known.keys()].join(', ')}.`
      : `Type names look like "commerce.order" or "commerce.order@1"; listCanonicalTypes() shows them all.`;
    throw new PullPushError(
      CanonicalErrorCode.UnknownType,
      `Unknown canonical type "${ref}${version !== undefined && !ref.includes('@') ? `@${version}` : ''}".`,
      { hint },
    );
  }
}

/** The registry the module-level functions use: built-in types plus whatever the application registers. */
export const defaultRegistry = new CanonicalRegistry();

export function getCanonicalType(name: string, version?: number): CanonicalTypeDefinition {
  return defaultRegistry.get(name, version);
}

export function listCanonicalTypes(): CanonicalTypeDefinition[] {
  return defaultRegistry.list();
}

export function registerCanonicalType(definition: CanonicalTypeDefinition): CanonicalTypeDefinition {
  return defaultRegistry.register(definition);
}

export function registerUpcaster(upcaster: Upcaster): void {
  defaultRegistry.registerUpcaster(upcaster);
}

export function resolveCanonicalType(
  type: string | CanonicalTypeDefinition,
  registry: CanonicalRegistry = defaultRegistry,
): CanonicalTypeDefinition {
  return typeof type === 'string' ? registry.get(type) : type;
}
