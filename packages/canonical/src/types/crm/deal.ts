import Type from 'typebox';
import {
  CanonicalRecord,
  DateOnly,
  Enumerated,
  MoneyField,
  NullableNumber,
  NullableText,
  RemoteRef,
  Timestamp,
} from '../../conventions.ts';
import { defineCanonicalType, REMOTE_KEY, type CanonicalRecordOf } from '../../definition.ts';

const DealPipeline = Type.Object(
  {
    id: NullableText('Remote id of the pipeline.'),
    name: NullableText('Pipeline name.'),
  },
  { additionalProperties: false, description: 'The sales pipeline the deal is in.' },
);

const DealStage = Type.Object(
  {
    id: NullableText('Remote id of the stage.'),
    name: NullableText('Stage name as shown in the source (Contract sent).'),
    kind: Enumerated(['open', 'won', 'lost'], 'Whether the stage is still open, or closes the deal as won or lost.'),
  },
  { additionalProperties: false, description: 'The stage of the pipeline the deal is at.' },
);

export const dealV1 = defineCanonicalType({
  name: 'crm.deal',
  version: 1,
  title: 'Deal',
  description: 'A sales opportunity in a CRM (deal, opportunity): its amount, pipeline stage, close dates and parties.',
  key: REMOTE_KEY,
  schema: CanonicalRecord('A CRM deal.', {
    name: NullableText('Deal name.'),
    amount: MoneyField('Expected value of the deal.'),
    pipeline: DealPipeline,
    stage: DealStage,
    probability: NullableNumber('Probability of winning, from 0 to 1 (0.6 for 60 %).', { minimum: 0, maximum: 1 }),
    expectedCloseDate: DateOnly('When the deal is expected to close.'),
    closedAt: Timestamp('When the deal was won or lost.'),
    companyId: RemoteRef('Company the deal is with.'),
    contactIds: Type.Array(Type.String({ minLength: 1 }), { description: 'Remote ids of the contacts on the deal.' }),
    ownerId: RemoteRef('User who owns the deal.'),
  }),
});
export type Deal = CanonicalRecordOf<typeof dealV1>;
