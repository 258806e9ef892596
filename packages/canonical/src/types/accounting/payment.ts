import {
  CanonicalRecord,
  DateOnly,
  Enumerated,
  NullableBoolean,
  NullableNumber,
  NullableText,
  RemoteRef,
  RequiredMoney,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

export const paymentV1 = defineCanonicalType({
  name: 'accounting.payment',
  version: 1,
  title: 'Payment',
  description: 'A payment received against a sales invoice or made against a purchase bill.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A payment applied to an invoice.', {
    invoiceId: RemoteRef('Invoice or bill the payment settles.'),
    contactId: RemoteRef('Customer or supplier who paid or was paid.'),
    amount: RequiredMoney('Amount paid, in the payment currency; always present.'),
    currencyRate: NullableNumber('Exchange rate from the payment currency to the base currency.', { minimum: 0 }),
    date: DateOnly('Date of the payment.'),
    method: Enumerated(['card', 'bank_transfer', 'cash', 'cheque', 'direct_debit', 'wallet'], 'How the payment was made.'),
    status: Enumerated(['pending', 'authorised', 'completed', 'failed', 'refunded', 'voided'], 'Lifecycle of the payment.'),
    reference: NullableText('Reference of the payment (bank statement text, cheque number).'),
    accountId: RemoteRef('Bank or ledger account the payment was paid into or out of.'),
    accountCode: NullableText('Code of that account (090).'),
    isReconciled: NullableBoolean('Whether the payment is reconciled with a bank statement line.'),
  }),
});
export type Payment = CanonicalRecordOf<typeof paymentV1>;
