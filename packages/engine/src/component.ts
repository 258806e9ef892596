// The one factory of the DSL's tagged components (auth kinds, paginators, partition routers): a table from each
// `kind` the schema declares to the function that builds its runtime. The table's type lists every kind, so a kind
// added to the schema without a runtime fails the typecheck.

/** A runtime builder for every kind of a tagged union `Spec`. */
export type RuntimeTable<Spec extends { kind: string }, Context, Runtime> = {
  readonly [K in Spec['kind']]: (spec: Extract<Spec, { kind: K }>, context: Context) => Runtime;
};

/** Builds the runtime of `spec` from the table entry of its kind. */
export function buildComponent<Spec extends { kind: string }, Context, Runtime>(table: RuntimeTable<Spec, Context, Runtime>, spec: Spec, context: Context): Runtime {
  const build = table[spec.kind as Spec['kind']] as (spec: Spec, context: Context) => Runtime;
  return build(spec, context);
}
