import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCanonicalEvent,
  canonicalContent,
  canonicalDataJson,
  canonicalEventJson,
  canonicalKey,
  createCanonicalEvent,
  PullPushError,
  validateCanonicalEvent,
} from '../src/index.ts';
import { canonicalJson } from '../src/jcs.ts';
import { shopifyLikeOrder } from './fixtures/commerce-order.ts';

const stock = (quantity: number | null) => ({
  id: 'commerce.stocklevel:MUG-BLK:warehouse-1',
  remote: { connector: 'shopify', connection: 'acme-store', stream: 'inventory_levels', id: '808950810:655441491' },
  createdAt: null,
  updatedAt: '2026-03-15T11:02:00Z',
  deleted: false,
  sku: 'MUG-BLK',
  locationId: 'warehouse-1',
  productId: '8001',
  variantId: '9001',
  quantity,
  available: quantity,
  reserved: null,
  committed: null,
  incoming: null,
});

describe('canonicalKey', () => {
  it('builds the key from the type\'s key fields', () => {
    expect(canonicalKey('commerce.order@1', shopifyLikeOrder())).toBe('commerce.order:shopify:acme-store:5512345678901');
    expect(canonicalKey('commerce.stocklevel', stock(3))).toBe('commerce.stocklevel:MUG-BLK:warehouse-1');
  });

  it('escapes the separator so different parts never give the same key', () => {
    const a = { ...stock(1), sku: 'A:B', locationId: 'C' };
    const b = { ...stock(1), sku: 'A', locationId: 'B:C' };
    expect(canonicalKey('commerce.stocklevel', a)).not.toBe(canonicalKey('commerce.stocklevel', b));
    expect(canonicalKey('commerce.stocklevel', a)).toBe('commerce.stocklevel:A%3AB:C');
  });

  it('refuses a record without its key fields, naming the field', () => {
    expect(() => canonicalKey('commerce.stocklevel', { ...stock(1), sku: '' })).toThrow(
      expect.objectContaining({ code: 'CANONICAL_MISSING_KEY', issues: [expect.objectContaining({ pointer: '/sku' })] }),
    );
  });
});

describe('createCanonicalEvent', () => {
  it('wraps a record in a CloudEvents 1.0 envelope with the canonical extensions', () => {
    const event = createCanonicalEvent('commerce.order@1', shopifyLikeOrder());
    expect(event).toMatchObject({
      specversion: '1.0',
      source: 'pullpush://shopify/acme-store/orders',
      type: 'commerce.order.updated',
      subject: 'commerce.order:shopify:acme-store:5512345678901',
      time: '2026-03-15T11:02:00.125Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:pullpush:canonical:commerce.order:1',
      canonicaltype: 'commerce.order',
      canonicalversion: 1,
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(validateCanonicalEvent(event)).toEqual([]);
  });

  it('gives the same change the same id, and a different change another id', () => {
    const first = createCanonicalEvent('commerce.order@1', shopifyLikeOrder());
    const again = createCanonicalEvent('commerce.order@1', { ...shopifyLikeOrder(), raw: { different: 'native payload' } });
    const changed = createCanonicalEvent('commerce.order@1', { ...shopifyLikeOrder(), note: 'Ring twice.' });
    expect(again.id).toBe(first.id);
    expect(changed.id).not.toBe(first.id);
    expect(createCanonicalEvent('commerce.order@1', shopifyLikeOrder(), { changeId: 'webhook-1' }).id).not.toBe(first.id);
  });

  it('remembers the canonical text its id was made from: the data without raw, as canonicalJson writes it', () => {
    const { raw: _raw, ...content } = { ...shopifyLikeOrder(), raw: { native: 'payload' } };
    const event = createCanonicalEvent('commerce.order@1', { ...content, raw: { native: 'payload' } });
    const text = canonicalContent(event);
    expect(text).toBe(canonicalJson(content));
    // The id is the one a digest of exactly this text gives (same parts as any event of this record).
    expect(createCanonicalEvent('commerce.order@1', JSON.parse(text) as typeof content).id).toBe(event.id);
    // An event made elsewhere (a copy, a webhook's changeId) gets the same text, computed on demand.
    expect(canonicalContent({ ...event })).toBe(text);
    expect(canonicalContent(createCanonicalEvent('commerce.order@1', content, { changeId: 'webhook-1' }))).toBe(text);
  });

  it('marks tombstones as deleted events', () => {
    expect(createCanonicalEvent('commerce.order@1', { ...shopifyLikeOrder(), deleted: true }).type).toBe('commerce.order.deleted');
  });

  it('keeps a missing stock quantity null in the event', () => {
    const event = createCanonicalEvent('commerce.stocklevel@1', stock(null));
    expect(event.data.quantity).toBeNull();
    expect(createCanonicalEvent('commerce.stocklevel@1', stock(0)).data.quantity).toBe(0);
  });

  it('refuses an invalid record', () => {
    expect(() => createCanonicalEvent('commerce.order@1', { ...shopifyLikeOrder(), currency: 'EURO' })).toThrow(PullPushError);
  });
});

describe('canonicalEventJson', () => {
  it('is the same JSON value as JSON.stringify(event), with raw or without, for events made here or elsewhere', () => {
    fc.assert(
      fc.property(fc.option(fc.jsonValue(), { nil: undefined }), fc.string({ unit: 'grapheme', maxLength: 12 }), (raw, note) => {
        const event = createCanonicalEvent('commerce.order@1', { ...shopifyLikeOrder(), note, ...(raw === undefined ? {} : { raw }) });
        // Made here (its content remembered) and a copy (the content computed on demand).
        for (const each of [event, { ...event }]) {
          expect(JSON.parse(canonicalEventJson(each))).toEqual(JSON.parse(JSON.stringify(each)));
          expect(JSON.parse(canonicalDataJson(each))).toEqual(JSON.parse(JSON.stringify(each.data)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('writes data that is not a record, or cannot be canonicalized, as JSON.stringify does', () => {
    const event = createCanonicalEvent('commerce.order@1', shopifyLikeOrder());
    for (const data of [{ ...event.data, note: 'lone \ud800' }, ['a'], null]) {
      const strange = { ...event, data } as unknown as typeof event;
      expect(canonicalEventJson(strange)).toBe(JSON.stringify(strange));
    }
  });
});

describe('validateCanonicalEvent', () => {
  it('reports data issues under /data and a subject that is not the data key', () => {
    const event = createCanonicalEvent('commerce.order@1', shopifyLikeOrder());
    const tampered = { ...event, subject: 'commerce.order:shopify:acme-store:1', data: { ...event.data, email: 'nope' } };
    expect(validateCanonicalEvent(tampered)).toEqual([expect.objectContaining({ pointer: '/data/email', rule: 'format' })]);
    expect(validateCanonicalEvent({ ...event, subject: 'commerce.order:x' })).toEqual([
      expect.objectContaining({ pointer: '/subject', rule: 'key' }),
    ]);
  });

  it('reports envelope problems with pointers and never throws', () => {
    const event = createCanonicalEvent('commerce.order@1', shopifyLikeOrder());
    const { specversion: _s, ...withoutVersion } = event;
    expect(validateCanonicalEvent(withoutVersion)).toEqual([expect.objectContaining({ pointer: '/specversion', rule: 'required' })]);
    expect(validateCanonicalEvent({ ...event, type: 'commerce.product.updated' })).toEqual([
      expect.objectContaining({ pointer: '/type' }),
    ]);
    expect(validateCanonicalEvent({ ...event, canonicaltype: 'commerce.nothing' })).toEqual([
      expect.objectContaining({ pointer: '/canonicaltype' }),
    ]);
    expect(validateCanonicalEvent(null)).not.toEqual([]);
    expect(() => assertCanonicalEvent({ ...event, dataschema: 'urn:x' })).toThrow(expect.objectContaining({ code: 'CANONICAL_INVALID_EVENT' }));
  });
});
