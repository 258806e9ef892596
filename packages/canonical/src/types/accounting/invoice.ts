import Type from 'typebox';
import {
  CanonicalRecord,
  CurrencyCode,
  DateOnly,
  Decimal,
  Enumerated,
  MoneyField,
  Nullable,
  NullableNumber,
  NullableText,
  RemoteRef,
  Timestamp,
  Url,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const InvoiceLineTax = Type.Object(
  {
    taxType: NullableText('Tax type or tax code of the source (OUTPUT2, TAX001).'),
    taxAmount: MoneyField('Tax charged on the line.'),
    taxRate: NullableNumber('Tax rate in percent (20 for 20%).', { minimum: 0 }),
  },
  { additionalProperties: false, description: 'Tax applied to one invoice line.' },
);

const InvoiceLine = Type.Object(
  {
    id: RemoteRef('The line within the invoice.'),
    description: NullableText('Description of the line as printed on the invoice.'),
    itemCode: NullableText('Code of the item sold or bought.'),
    quantity: Nullable(Decimal('Quantity as a decimal string; may be fractional (1.5 hours).'), {
      description: 'Quantity as a decimal string ("1.5"); null when the source has none.',
    }),
    unitAmount: MoneyField('Price of one unit before discount and tax.'),
    discountRate: NullableNumber('Discount in percent of the line (10 for 10%).', { minimum: 0, maximum: 100 }),
    accountCode: NullableText('Ledger account code the line is posted to (200).'),
    tax: Nullable(InvoiceLineTax, { description: 'Tax of the line; null when the line carries none.' }),
    lineAmount: MoneyField('Line amount after discount, including tax only for tax-inclusive invoices.'),
  },
  { additionalProperties: false, description: 'One line of an invoice or bill.' },
);

const InvoiceTotals = Type.Object(
  {
    subtotal: MoneyField('Sum of the lines before tax.'),
    totalTax: MoneyField('Total tax.'),
    total: MoneyField('Subtotal plus tax.'),
    amountPaid: MoneyField('Amount paid so far.'),
    amountCredited: MoneyField('Amount settled with credit notes.'),
    amountDue: MoneyField('Amount still to be paid.'),
  },
  { additionalProperties: false, description: 'Invoice totals, each in the invoice currency.' },
);

export const invoiceV1 = defineCanonicalType({
  name: 'accounting.invoice',
  version: 1,
  title: 'Invoice',
  description: 'A sales invoice, a purchase bill or a credit note, with its lines, tax and what is paid and due.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('An invoice, bill or credit note.', {
    kind: Enumerated(['sales', 'purchase', 'credit_note'], 'Receivable sales invoice, payable purchase bill, or credit note.'),
    number: NullableText('Invoice number (INV-0042).'),
    reference: NullableText('Reference printed on the invoice (purchase order number).'),
    contactId: RemoteRef('Customer or supplier the invoice is for.'),
    contactName: NullableText('Name of the customer or supplier, as on the invoice.'),
    status: Enumerated(
      ['draft', 'submitted', 'authorised', 'partially_paid', 'paid', 'overdue', 'voided', 'deleted'],
      'Lifecycle of the invoice.',
    ),
    currency: CurrencyCode,
    issueDate: DateOnly('Date the invoice was issued.'),
    dueDate: DateOnly('Date payment is due.'),
    taxTreatment: Enumerated(['exclusive', 'inclusive', 'no_tax'], 'Whether line amounts exclude or include tax.'),
    lines: Type.Array(InvoiceLine, { description: 'Invoice lines, in source order.' }),
    totals: InvoiceTotals,
    paidAt: Timestamp('When the invoice was fully paid.'),
    url: Url('Link to the invoice document or online invoice.'),
  }),
});
export type Invoice = CanonicalRecordOf<typeof invoiceV1>;
