import { describe, expect, it } from 'vitest';
import { validateCanonical } from '../src/index.ts';
import { xeroLikePayment } from './fixtures/accounting-payment.ts';

const issuesOf = (value: unknown) =>
  validateCanonical('accounting.payment@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('accounting.payment@1', () => {
  it('accepts a Xero-like payment', () => {
    expect(validateCanonical('accounting.payment@1', xeroLikePayment()).issues).toEqual([]);
  });

  it('requires the amount: null is not "no data" for a payment', () => {
    expect(issuesOf({ ...xeroLikePayment(), amount: null })).toEqual([['/amount', 'type']]);
  });

  it('rejects float money, a bad currency, an impossible date and a bad rate with exact pointers', () => {
    const payment = xeroLikePayment() as unknown as Record<string, unknown>;
    payment['amount'] = { amount: 500.5, currency: 'EURO' };
    payment['date'] = '2026-13-01';
    payment['currencyRate'] = '1.0';
    payment['isReconciled'] = 'yes';
    expect(issuesOf(payment).sort()).toEqual([
      ['/amount/amount', 'type'],
      ['/amount/currency', 'pattern'],
      ['/currencyRate', 'type'],
      ['/date', 'format'],
      ['/isReconciled', 'type'],
    ]);
  });

  it('rejects an unknown enum value, a missing field and an unknown field', () => {
    const payment = xeroLikePayment() as unknown as Record<string, unknown>;
    payment['method'] = { value: 'crypto', native: 'BTC' };
    payment['status'] = { value: 'completed', native: 'PAID', extra: true };
    delete payment['invoiceId'];
    payment['bankAmount'] = '500.00';
    expect(issuesOf(payment).sort()).toEqual([
      ['/bankAmount', 'additionalProperties'],
      ['/invoiceId', 'required'],
      ['/method/value', 'enum'],
      ['/status/extra', 'additionalProperties'],
    ]);
  });
});
