import { describe, expect, it } from 'vitest';
import { invoiceV1, validateCanonical } from '../src/index.ts';
import { xeroLikeInvoice } from './fixtures/accounting-invoice.ts';

const issuesOf = (value: unknown) =>
  validateCanonical('accounting.invoice@1', value).issues.map((issue) => [issue.pointer, issue.rule]);

describe('accounting.invoice@1', () => {
  it('accepts a Xero-like invoice', () => {
    expect(validateCanonical('accounting.invoice@1', xeroLikeInvoice()).issues).toEqual([]);
    expect(validateCanonical(invoiceV1, { ...xeroLikeInvoice(), lines: [], paidAt: null, url: null }).valid).toBe(true);
  });

  it('rejects float money, a bad currency, a float quantity and an impossible date with exact pointers', () => {
    const invoice = xeroLikeInvoice() as Record<string, unknown> & ReturnType<typeof xeroLikeInvoice>;
    (invoice.totals.total as unknown as Record<string, unknown>)['amount'] = 1198.8;
    invoice['currency'] = 'EURO';
    (invoice.lines[0] as unknown as Record<string, unknown>)['quantity'] = 7.5;
    (invoice.lines[1] as unknown as Record<string, unknown>)['unitAmount'] = { amount: '1e3', currency: 'GBP' };
    invoice.dueDate = '2026-13-01';
    expect(issuesOf(invoice).sort()).toEqual([
      ['/currency', 'pattern'],
      ['/dueDate', 'format'],
      ['/lines/0/quantity', 'type'],
      ['/lines/1/unitAmount/amount', 'pattern'],
      ['/totals/total/amount', 'type'],
    ]);
  });

  it('rejects an unknown enum value, a missing field and an unknown field', () => {
    const invoice = xeroLikeInvoice() as unknown as Record<string, unknown>;
    invoice['status'] = { value: 'sent', native: 'SENT' };
    invoice['kind'] = { value: 'sales' };
    delete invoice['totals'];
    invoice['brandingThemeId'] = 'x';
    expect(issuesOf(invoice).sort()).toEqual([
      ['/brandingThemeId', 'additionalProperties'],
      ['/kind/native', 'required'],
      ['/status/value', 'enum'],
      ['/totals', 'required'],
    ]);
  });
});
