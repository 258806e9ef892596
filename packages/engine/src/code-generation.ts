// Whether this runtime lets code be generated: a CSP or `--disallow-code-generation-from-strings` may forbid it.
// The fast expression path and the mapping assembly generate code where it may, and fall back where it may not.
export const CODE_GENERATION = ((): boolean => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();
