import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../src/index.ts';

describe('Redactor', () => {
  it('hides secrets and their URL-encoded and base64 forms', () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t/+value');
    const basic = Buffer.from('s3cr3t/+value').toString('base64');
    expect(redactor.text(`key=s3cr3t/+value enc=${encodeURIComponent('s3cr3t/+value')} b64=${basic}`)).toBe('key=*** enc=*** b64=***');
  });

  it('masks credential-like query parameters and userinfo in URLs', () => {
    const redactor = new Redactor();
    expect(redactor.url('https://user:pw@api.example.com/x?api_key=abc&page=2&access_token=zzz')).toBe('https://***:***@api.example.com/x?api_key=***&page=2&access_token=***');
  });

  it('never lets a secret through, whatever text surrounds it (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6, maxLength: 40 }), fc.string(), fc.string(), (secret, before, after) => {
        const redactor = new Redactor();
        redactor.add(secret);
        expect(redactor.text(`${before}${secret}${after}`)).not.toContain(secret);
      }),
      { numRuns: 500 },
    );
  });

  it('hides every form a URL, a header or a JSON body gives a secret, in any case (property)', () => {
    const forms = (secret: string) => [
      secret,
      secret.toLowerCase(),
      secret.toUpperCase(),
      encodeURIComponent(secret),
      encodeURIComponent(secret).toLowerCase(),
      new URLSearchParams({ k: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      JSON.stringify(secret).slice(1, -1),
    ];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09~!\'()* "\\/+=%&?#é'.split('')), minLength: 6, maxLength: 30 }), fc.string(), (secret, around) => {
        const redactor = new Redactor();
        redactor.add(secret);
        for (const form of forms(secret)) {
          const shown = redactor.text(`${around}${form}${around}`);
          expect(shown.includes(form), `${JSON.stringify(form)} in ${JSON.stringify(shown)}`).toBe(false);
        }
        // What a URL with the secret in its query shows.
        const url = new URL('https://api.example.com/x');
        url.searchParams.set('credential', secret);
        expect(redactor.url(url)).toBe('https://api.example.com/x?credential=***');
      }),
      { numRuns: 500 },
    );
  });

  it('finds a secret in a page exactly where it would redact one, with one secret or several, in any case (property)', () => {
    // finds() decides whether a page's body is redacted before it is parsed: it must agree with text() on every text.
    const unit = fc.constantFrom(...'aZ09~!()* "\\/+=%é'.split(''));
    const page = (secrets: string[]) =>
      fc.tuple(fc.string({ unit }), fc.option(fc.tuple(fc.constantFrom(...secrets), fc.constantFrom('as-is', 'lower', 'upper', 'base64', 'uri')), { nil: undefined }), fc.string({ unit }));
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 4, maxLength: 16 }), { minLength: 1, maxLength: 3 }).chain((secrets) => fc.tuple(fc.constant(secrets), page(secrets))),
        ([secrets, [before, pick, after]]) => {
          const redactor = new Redactor();
          redactor.add(...secrets);
          const shapes = { 'as-is': (s: string) => s, lower: (s: string) => s.toLowerCase(), upper: (s: string) => s.toUpperCase(), base64: (s: string) => Buffer.from(s).toString('base64'), uri: encodeURIComponent };
          const text = `${before}${pick ? shapes[pick[1]](pick[0]) : ''}${after}`;
          expect(redactor.finds(text), JSON.stringify(text)).toBe(redactor.text(text) !== text);
          if (pick) expect(redactor.finds(text)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('redacts deep values', () => {
    const redactor = new Redactor();
    redactor.add('tok-123456');
    expect(redactor.value({ a: ['Bearer tok-123456'], b: { c: 'tok-123456' }, n: 1 })).toEqual({ a: ['Bearer ***'], b: { c: '***' }, n: 1 });
  });
});
