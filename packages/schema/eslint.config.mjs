import base from '../../eslint.config.mjs';

// generated/: Ajv's standalone code (npm run generate), checked by tests against the source, not written by hand.
export default [{ ignores: ['generated'] }, ...base];
