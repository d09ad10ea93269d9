import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/gateway-fixture.js';
import { startTestGateway } from '../support/test-gateway.js';

const t = useGateway();
const ANONYMIZE_TEXT = 'mutation($t: String!, $k: [String!], $m: TextMode) { anonymizeText(text: $t, kinds: $k, mode: $m) { text spans { kind start end score } mapping kinds { kind count } } }';
const DEANONYMIZE_TEXT = 'mutation($t: String!, $m: JSON) { deanonymizeText(text: $t, mapping: $m) { text resolved unresolved kinds { kind count } } }';
const NOTE = 'Dr. Jane Smith from Acme Corp saw Mrs. Zoë Ångström in Paris; call Jane Smith at +1 212-555-0147 or jane.smith@example.com.';

async function call(query: string, variables: Record<string, unknown>) {
  const { body, text } = await t.gateway.gql(query, variables);
  expect(body.errors).toBeUndefined();
  return { data: body.data!, text };
}

describe('free text', () => {
  it('finds people with their titles, organizations, places and patterns, with offsets into the original', async () => {
    const { data } = await call(ANONYMIZE_TEXT, { t: NOTE });
    const result = data.anonymizeText;
    const found = result.spans.map((s: any) => [s.kind, NOTE.slice(s.start, s.end)]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['person', 'Dr. Jane Smith'],
        ['organization', 'Acme Corp'],
        ['person', 'Mrs. Zoë Ångström'],
        ['location', 'Paris'],
        ['phone', '+1 212-555-0147'],
        ['email', 'jane.smith@example.com'],
      ]),
    );
    expect(result.mapping).toBeNull();
    for (const value of ['Jane Smith', 'Acme', 'Ångström', 'Paris', '555-0147', 'jane.smith@']) expect(result.text).not.toContain(value);
    const back = await call(DEANONYMIZE_TEXT, { t: result.text });
    expect(back.data.deanonymizeText).toMatchObject({ text: NOTE, unresolved: 0 });
  });

  it('limits replacement to the kinds asked for', async () => {
    const { data } = await call(ANONYMIZE_TEXT, { t: NOTE, k: ['email', 'phone'] });
    expect(data.anonymizeText.text).toContain('Dr. Jane Smith');
    expect(data.anonymizeText.kinds).toEqual([{ kind: 'email', count: 1 }, { kind: 'phone', count: 1 }]);
  });

  it('refuses a kind no detector of the call finds, rather than leaving those values in silently', async () => {
    const { body: misspelt } = await t.gateway.gql(ANONYMIZE_TEXT, { t: NOTE, k: ['email', 'phones'] });
    expect(misspelt.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(misspelt.errors?.[0]?.message).toMatch(/^kinds\[1\] is not a kind the detectors find; they find credit_card, date, email, iban, ip_address, location, organization, person, phone, url, us_ssn /);
    expect(misspelt.data).toBeNull();
    expect(JSON.stringify(misspelt)).not.toMatch(/phones|Jane|212-555/);
    // A kind of the call's deny list or custom recognizers counts.
    const query = 'mutation($t: String!, $k: [String!], $d: [DenyTermInput!], $r: [RecognizerInput!]) { anonymizeText(text: $t, kinds: $k, deny: $d, recognizers: $r) { text } }';
    const { data } = await call(query, {
      t: 'Ask Project Falcon about TCK-004711.',
      k: ['codename', 'ticket'],
      d: [{ value: 'Project Falcon', kind: 'codename' }],
      r: [{ name: 'tickets', kind: 'ticket', pattern: 'TCK-[0-9]{6}' }],
    });
    expect(data.anonymizeText.text).toMatch(/^Ask tok_codename_\S+ about tok_ticket_\S+\.$/);
  });

  it('PLACEHOLDERS: numbered per kind, the same value the same placeholder, nothing stored, restored despite an LLM’s edits', async () => {
    t.store.resetCounts();
    const text = 'Jane Smith met Bob Jones. Later Jane Smith wrote to bob@example.com.';
    const { data, text: raw } = await call(ANONYMIZE_TEXT, { t: text, m: 'PLACEHOLDERS' });
    const result = data.anonymizeText;
    expect(result.text).toBe('[PERSON_1] met [PERSON_2]. Later [PERSON_1] wrote to [EMAIL_1].');
    expect(result.mapping).toEqual({ '[PERSON_1]': 'Jane Smith', '[PERSON_2]': 'Bob Jones', '[EMAIL_1]': 'bob@example.com' });
    expect(t.store.count('BatchWriteItem')).toBe(0);
    expect(raw).not.toMatch(/tok_/);
    const llm = 'Summary: person_1 and [Person_2] met; [ PERSON_1 ] emailed [EMAIL_1]. [PERSON_9] is unknown.';
    const back = await call(DEANONYMIZE_TEXT, { t: llm, m: result.mapping });
    expect(back.data.deanonymizeText).toMatchObject({
      text: 'Summary: Jane Smith and Bob Jones met; Jane Smith emailed bob@example.com. [PERSON_9] is unknown.',
      resolved: 4,
    });
  });

  it('refuses a mapping that is not placeholders to originals, naming the entry by position, quoting nothing', async () => {
    const reversed = { '[PERSON_1]': 'Jane Smith', 'Bob Jones': '[PERSON_2]' };
    for (const [mapping, message] of [
      [['Jane Smith'], /^mapping must be an object of placeholders to originals/],
      [{ text: '[PERSON_1] met', mapping: { '[PERSON_1]': 'Jane Smith' } }, /^mapping entry 0: its key is not a placeholder/],
      [reversed, /^mapping entry 1: its key is not a placeholder/],
      [{ '[PERSON_1]': { name: 'Jane Smith' } }, /^mapping entry 0: its value is not a string$/],
    ] as const) {
      const response = await t.gateway.gql(DEANONYMIZE_TEXT, { t: '[PERSON_1] met [PERSON_2].', m: mapping });
      expect(response.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
      expect(response.text).not.toMatch(/Jane|Bob/);
    }
  });

  it('honours per-request allow and deny lists, and refuses a bad deny kind without quoting the value', async () => {
    const query = 'mutation($t: String!, $a: [String!], $d: [DenyTermInput!]) { anonymizeText(text: $t, mode: PLACEHOLDERS, allow: $a, deny: $d) { text } }';
    const text = 'Acme Corp ships Project Nightjar to Jane Smith on 2024-05-01 (see https://acme.example.com/nightjar).';
    const { data } = await call(query, { t: text, a: ['Acme Corp'], d: [{ value: 'Project Nightjar', kind: 'codename' }] });
    expect(data.anonymizeText.text).toBe('Acme Corp ships [CODENAME_1] to [PERSON_1] on [DATE_1] (see [URL_1]).');
    const bad = await t.gateway.gql(query, { t: text, d: [{ value: 'Project Nightjar', kind: 'Code Name' }] });
    expect(bad.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^deny\[0\]\.kind must be/), extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.text).not.toContain('Nightjar');
  });

  it('applies the configured lists everywhere detection runs: anonymizeText, TEXT fields of rules, payload scanning', async () => {
    const gateway = await startTestGateway(t.store.store, { detectLists: { allow: ['Acme Corp'], deny: [{ value: 'Nightjar', kind: 'codename' }] } });
    try {
      const text = 'Acme Corp runs Nightjar with Jane Smith.';
      const free = await gateway.gql('mutation($t: String!) { anonymizeText(text: $t, mode: PLACEHOLDERS) { text } }', { t: text });
      expect(free.body.data!.anonymizeText.text).toBe('Acme Corp runs [CODENAME_1] with [PERSON_1].');
      const rule = await gateway.gql('mutation($p: JSON!) { anonymize(payload: $p, rules: [{ path: "note", strategy: TEXT }]) { payload } }', { p: { note: text } });
      expect(rule.body.data!.anonymize.payload.note).toMatch(/^Acme Corp runs tok_codename_\S+ with tok_person_\S+\.$/);
      const scan = await gateway.gql('mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: { note: 'Nightjar at jane@example.com' } });
      expect(scan.body.data!.anonymize.payload.note).toMatch(/^tok_codename_\S+ at tok_email_\S+$/);
    } finally {
      await gateway.close();
    }
  });

  it('runs recognizers of the request and of the configuration, on the event loop and on a detection thread', async () => {
    const gateway = await startTestGateway(t.store.store, {
      detectLists: { recognizers: [{ name: 'tickets', kind: 'ticket', pattern: 'TCK-[0-9]{6}' }] },
      detection: { threads: 1, offloadBytes: 1024 },
    });
    try {
      const query =
        'mutation($t: String!, $r: [RecognizerInput!]) { anonymizeText(text: $t, recognizers: $r) { text spans { kind start end score } kinds { kind count } } }';
      const recognizers = [{ name: 'members', kind: 'member_id', pattern: 'm-[0-9]{5}', ignoreCase: true, score: 0.9 }];
      const small = 'Ticket TCK-004711 for member M-12345.';
      const large = `${small} ${'Nothing to see here. '.repeat(80)}`; // over 1 KiB: scanned on the thread
      for (const text of [small, large]) {
        const { body } = await gateway.gql(query, { t: text, r: recognizers });
        expect(body.errors).toBeUndefined();
        const result = body.data!.anonymizeText;
        expect(result.text).toMatch(/^Ticket tok_ticket_\S+ for member tok_member_id_\S+\./);
        expect(result.spans.map((s: any) => [text.slice(s.start, s.end), s.score])).toEqual([['TCK-004711', 0.8], ['M-12345', 0.9]]);
        const back = await gateway.gql(DEANONYMIZE_TEXT, { t: result.text });
        expect(back.body.data!.deanonymizeText.text).toBe(text);
      }
      // The configured one applies where detection runs without a request's recognizers too.
      const scan = await gateway.gql('mutation($p: JSON!) { anonymize(payload: $p) { payload } }', { p: { note: 'see TCK-004711' } });
      expect(scan.body.data!.anonymize.payload.note).toMatch(/^see tok_ticket_\S+$/);
    } finally {
      await gateway.close();
    }
  });

  it('refuses an invalid recognizer with BAD_USER_INPUT naming it, never quoting its pattern', async () => {
    const query = 'mutation($t: String!, $r: [RecognizerInput!]) { anonymizeText(text: $t, recognizers: $r) { text } }';
    const { body, text } = await t.gateway.gql(query, { t: 'Jane Smith', r: [{ name: 'names', kind: 'person', pattern: '(Jane) \\1Smith' }] });
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^recognizers\[0\]: pattern is not a valid RE2 regular expression/), extensions: { code: 'BAD_USER_INPUT' } });
    expect(text).not.toContain('Jane');
    expect(t.gateway.logs.text()).not.toContain('Jane');
  });

  it('refuses text over the size limit with PAYLOAD_TOO_LARGE, quoting nothing', async () => {
    const big = `${'Jane Smith '.repeat(100_000)}`;
    const { body, text } = await t.gateway.gql(ANONYMIZE_TEXT, { t: big });
    expect(body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(text).not.toContain('Jane Smith');
  });
});
