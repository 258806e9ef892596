// The per-record part of a compiled mapping as generated code: every field's value produced and stored, then the
// defaults filled (the root record's in place, those of objects inside it on a copy). The same work as a loop over
// the fields, but each field's call and each read and store has a site of its own: a loop goes through one site
// for every name, which V8 can only treat as a dictionary lookup (about a microsecond a record for the fields, a
// third of one for an order's nested defaults). Where the runtime forbids code generation, the mapping loops.
import { CODE_GENERATION } from './code-generation.ts';
import { NOT_SYNC } from './expr/compile.ts';
import type { Bindings } from './sites.ts';

type Json = Record<string, unknown>;

/** A field as the assembly needs it: where its value goes, and its synchronous producer if it has one. */
export interface AssembledField {
  /** A dotted canonical path split once, or (custom) one name under `custom`. */
  keys: readonly string[];
  custom: boolean;
  sync?: ((record: unknown, bindings: Bindings<'mapping'>) => unknown) | undefined;
}

/** A root member the defaults may fill: made when missing, filled inside when present. */
export interface DefaultedMember {
  name: string;
  missing?: (() => unknown) | undefined;
  fill?: ((value: unknown) => unknown) | undefined;
}

/** Where the assembly stopped: which field it was producing when a producer threw. */
export interface AssemblyProgress {
  at: number;
}

/**
 * Stores every field's value (undefined becomes null) into `record` (canonical fields) or `values` (custom);
 * returns -1 when all were produced synchronously, else the index of the first field that needs its asynchronous
 * evaluation (the caller goes on from there). `progress.at` names the field being produced.
 */
export type Assembly = (native: unknown, bindings: Bindings<'mapping'>, record: Json, values: Json | undefined, progress: AssemblyProgress) => number;

/** Fills the root record's defaults in place. */
export type RootFiller = (record: Json) => Json;

/** Fills an object's defaults: the object itself when it needs nothing, else a copy with them. */
export type ObjectFiller = (value: unknown) => unknown;

/** A member access with the name as a string literal: the same member as `object[name]`, through its own site. */
function member(object: string, name: string): string {
  return `${object}[${JSON.stringify(name)}]`;
}

/** The generated assembly of these fields, or undefined where code cannot be generated. */
export function generateAssembly(fields: readonly AssembledField[]): Assembly | undefined {
  if (!CODE_GENERATION) return undefined;
  const lines = ['let v, o;'];
  fields.forEach((field, index) => {
    lines.push(`progress.at = ${index};`);
    if (!field.sync) {
      lines.push(`return ${index};`);
      return;
    }
    lines.push(`v = S[${index}](native, bindings);`, `if (v === NOT_SYNC) return ${index};`, 'if (v === undefined) v = null;');
    if (field.custom) {
      lines.push(`${member('values', field.keys[0] as string)} = v;`);
      return;
    }
    // As setPath: each object on the way made where it is not one yet.
    let target = 'record';
    for (const key of field.keys.slice(0, -1)) {
      lines.push(`o = ${member(target, key)};`, `if (typeof o !== 'object' || o === null) ${member(target, key)} = o = {};`);
      target = 'o';
    }
    lines.push(`${member(target, field.keys.at(-1) as string)} = v;`);
  });
  lines.push('return -1;');
  const create = new Function('S', 'NOT_SYNC', `'use strict';\nreturn function assemble(native, bindings, record, values, progress) {\n${lines.join('\n')}\n};`);
  return create(
    fields.map((field) => field.sync),
    NOT_SYNC,
  ) as Assembly;
}

/** The generated filler of the root record's defaults, or undefined where code cannot be generated. */
export function generateRootFiller(members: readonly DefaultedMember[]): RootFiller | undefined {
  if (!CODE_GENERATION) return undefined;
  const lines = ['let x;'];
  members.forEach((entry, index) => {
    const at = member('record', entry.name);
    lines.push(`x = ${at};`);
    if (entry.missing) lines.push(`if (x === undefined) ${at} = M[${index}]();`);
    if (entry.fill) lines.push(`${entry.missing ? 'else ' : ''}if (x !== undefined && x !== null) ${at} = F[${index}](x);`);
  });
  lines.push('return record;');
  return compileFiller('fillRoot(record)', lines, members) as RootFiller;
}

/**
 * The generated filler of an object inside a record (copy on write: its values may be parts of the native record),
 * or undefined where code cannot be generated. Each member is read through a site of its own, as in the root's.
 */
export function generateObjectFiller(members: readonly DefaultedMember[]): ObjectFiller | undefined {
  if (!CODE_GENERATION) return undefined;
  const lines = ["if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;", 'let out, x, next;'];
  members.forEach((entry, index) => {
    const missing = entry.missing ? `M[${index}]()` : 'undefined';
    const filled = entry.fill ? `x === null ? x : F[${index}](x)` : 'x';
    lines.push(
      `x = ${member('value', entry.name)};`,
      `next = x === undefined ? ${missing} : ${filled};`,
      `if (next !== x) (out ??= { ...value })[${JSON.stringify(entry.name)}] = next;`,
    );
  });
  lines.push('return out ?? value;');
  return compileFiller('fillObject(value)', lines, members) as ObjectFiller;
}

/** A filler function from its signature and body, with the members' makers of missing values (M) and fillers (F). */
function compileFiller(signature: string, lines: readonly string[], members: readonly DefaultedMember[]): unknown {
  const create = new Function('M', 'F', `'use strict';\nreturn function ${signature} {\n${lines.join('\n')}\n};`);
  return create(
    members.map((entry) => entry.missing),
    members.map((entry) => entry.fill),
  );
}
