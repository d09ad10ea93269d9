import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AnonymizePayloadDocument, AnonymizeTextDocument, AnonymizeWithStrategiesDocument, DeanonymizeDocument, DemoPatientsDocument, ForgetValuesDocument } from '../generated/graphql.js';
import { useGateway } from '../support/gateway-fixture.js';

/**
 * The example operations (schema/examples.graphql) as typed documents from graphql-codegen: a
 * schema change that breaks them fails the type-check before it fails here.
 */
const t = useGateway();

async function run<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables): Promise<TResult> {
  const { body } = await t.gateway.gql(print(document), variables as Record<string, unknown>);
  expect(body.errors).toBeUndefined();
  return body.data as TResult;
}

describe('the example operations, typed', () => {
  it('anonymize then deanonymize a payload', async () => {
    const payload = { patient: { name: 'Zoë Ångström', email: 'zoe@example.com' }, visits: [{ room: 12 }] };
    const { anonymize } = await run(AnonymizePayloadDocument, { payload, fields: ['patient.email', 'patient.name:person', 'visits[*].room'] });
    expect(anonymize.tokenized).toBe(3);
    expect(anonymize.unmatchedFields).toEqual([]);
    const { deanonymize } = await run(DeanonymizeDocument, { payload: anonymize.payload, reason: 'example' });
    expect(deanonymize).toEqual({ payload, resolved: 3, unresolved: 0 });
  });

  it('forget a value, after which its token no longer resolves', async () => {
    const payload = { email: 'forget.example@example.com' };
    const { anonymize } = await run(AnonymizePayloadDocument, { payload, fields: ['email'] });
    const { forgetValues } = await run(ForgetValuesDocument, { values: [{ kind: 'email', value: payload.email }], reason: 'example' });
    expect(forgetValues).toEqual({ forgotten: 1, notFound: 0, kinds: [{ kind: 'email', count: 1 }] });
    const { deanonymize } = await run(DeanonymizeDocument, { payload: anonymize.payload, reason: 'example' });
    expect(deanonymize).toMatchObject({ resolved: 0, unresolved: 1 });
  });

  it('anonymize with a strategy per path', async () => {
    const payload = { card: '4242 4242 4242 4242', phone: '+1 (415) 555-0142', name: 'Zoë' };
    const { anonymize } = await run(AnonymizeWithStrategiesDocument, {
      payload,
      rules: [
        { path: 'card', strategy: 'FORMAT_PRESERVING', formatPreserving: { keepLast: 4, luhn: true } },
        { path: 'phone', strategy: 'MASK', mask: { keepLast: 4 } },
        { path: 'name', kind: 'person' },
      ],
    });
    expect(anonymize.payload).toEqual({ card: expect.stringMatching(/^\d{4} \d{4} \d{4} 4242$/), phone: '+* (***) ***-0142', name: expect.stringMatching(/^tok_person_/) });
    expect(anonymize.strategies).toEqual([
      { strategy: 'TOKENIZE', count: 1 },
      { strategy: 'FORMAT_PRESERVING', count: 1 },
      { strategy: 'MASK', count: 1 },
    ]);
  });

  it('anonymizeText in placeholder mode', async () => {
    const { anonymizeText } = await run(AnonymizeTextDocument, { text: 'Jane Smith wrote to bob@example.com.' });
    expect(anonymizeText.text).toBe('[PERSON_1] wrote to [EMAIL_1].');
    expect(anonymizeText.spans.map((span) => span.kind)).toEqual(['person', 'email']);
  });

  it('the demo query', async () => {
    const { patients } = await run(DemoPatientsDocument, { first: 2 });
    expect(patients).toHaveLength(2);
    expect(patients[0]!.ssn).toMatch(/^tok_ssn_/);
    expect(patients[0]!.address.city).not.toMatch(/^tok_/);
  });
});
