// Per-store caches of derived views (the Stripe, GitHub, Jira and Slack shapes of the records). A view is
// rebuilt only after the store changed, so paging through it costs a lookup, not a rebuild per request.
import type { Store } from './store.ts';

export function viewCache<T>(build: (store: Store) => T): (store: Store) => T {
  const cache = new WeakMap<Store, { version: number; value: T }>();
  return (store) => {
    const hit = cache.get(store);
    if (hit?.version === store.version) return hit.value;
    const value = build(store);
    cache.set(store, { version: store.version, value });
    return value;
  };
}
