// Every test of every package ends with Object.prototype as it began: no definition, API response or tool argument
// may write onto the prototype every object shares. A test that leaves a change fails, naming what was added.
import { afterEach, expect } from 'vitest';

const original = Reflect.ownKeys(Object.prototype);

afterEach(() => {
  const now = Reflect.ownKeys(Object.prototype);
  const added = now.filter((key) => !original.includes(key)).map(String);
  // Cleaned up first, so one polluting test does not fail every test after it.
  for (const key of now) if (!original.includes(key)) delete (Object.prototype as Record<PropertyKey, unknown>)[key];
  expect(added, 'Object.prototype was written to').toEqual([]);
});
