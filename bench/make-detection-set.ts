/**
 * Writes test/fixtures/detection/labeled.json: sentences with the personal data they hold,
 * labeled by construction, from a fixed seed (so the file is reproducible):
 * valid emails, phones (checked by libphonenumber), Luhn-valid cards, mod-97 IBANs, issuable US
 * SSNs and IP addresses in varied sentences; look-alikes that must not be found (Luhn-invalid
 * cards, IBANs with a wrong check, SSNs that are never issued, order numbers, versions); and
 * ordinary English sentences naming people (faker's names, and names from many languages written
 * here), and sentences with capitalized words that are not names. `npm run eval` scores the detectors on it.
 *
 *   npx tsx bench/make-detection-set.ts
 */
import { writeFileSync } from 'node:fs';
import { Faker, en } from '@faker-js/faker';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import { luhn } from '../src/detect/recognizers/credit-card.js';
import { mod97 } from '../src/detect/recognizers/iban.js';

export interface LabeledCase {
  text: string;
  /** What a perfect detector finds: kind and the exact text. */
  expected: { kind: string; value: string }[];
  /** What the case is about, for the report. */
  group: string;
}

const faker = new Faker({ locale: [en], seed: 20261125 });
const pick = <T>(items: readonly T[]): T => items[faker.number.int({ min: 0, max: items.length - 1 })]!;
const digits = (n: number) => Array.from({ length: n }, () => faker.number.int({ min: 0, max: 9 })).join('');
const cases: LabeledCase[] = [];
const add = (group: string, template: string, values: { kind: string; value: string }[]) => {
  let text = template;
  values.forEach((v, i) => (text = text.replace(`{${i}}`, v.value)));
  cases.push({ group, text, expected: values.filter((v) => v.kind !== 'none') });
};

const SENTENCES = [
  'Please contact {0} before Friday.',
  'The form listed {0} as the only reference.',
  'Updated record: {0}.',
  'We could not verify {0}, so the request is on hold.',
  '{0} was entered twice in the system.',
];

function card(): string {
  for (;;) {
    const [prefix, length] = pick([['4', 16], ['51', 16], ['55', 16], ['34', 15], ['37', 15]] as const);
    const body = prefix + digits(length - prefix.length - 1);
    for (let d = 0; d < 10; d++) if (luhn(body + d)) return body + d;
  }
}
const groupCard = (n: string) => (n.length === 15 ? `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}` : n.replace(/(\d{4})(?=\d)/g, '$1 '));

function iban(): string {
  const [country, length] = pick([['DE', 22], ['GB', 22], ['FR', 27], ['NL', 18], ['ES', 24]] as const);
  const bban = country === 'GB' ? `WEST${digits(14)}` : country === 'NL' ? `ABNA${digits(10)}` : digits(length - 4);
  for (let check = 2; check < 99; check++) {
    const candidate = `${country}${String(check).padStart(2, '0')}${bban}`;
    if (mod97(candidate) === 1) return candidate;
  }
  throw new Error('unreachable');
}

function ssn(): string {
  let area: number;
  do area = faker.number.int({ min: 1, max: 899 });
  while (area === 666);
  return `${String(area).padStart(3, '0')}-${String(faker.number.int({ min: 1, max: 99 })).padStart(2, '0')}-${String(faker.number.int({ min: 1, max: 9999 })).padStart(4, '0')}`;
}

function phone(): string {
  for (;;) {
    const npa = pick(['212', '415', '646', '312', '617', '206', '305', '702', '512', '303']);
    const candidate = `${npa}${faker.number.int({ min: 2, max: 9 })}${digits(2)}${digits(4)}`;
    const formatted = pick([`+1 ${npa}-${candidate.slice(3, 6)}-${candidate.slice(6)}`, `(${npa}) ${candidate.slice(3, 6)}-${candidate.slice(6)}`, `+1 (${npa}) ${candidate.slice(3, 6)} ${candidate.slice(6)}`]);
    if (isValidPhoneNumber(formatted, 'US')) return formatted;
  }
}

for (let i = 0; i < 60; i++) {
  add('email', pick(SENTENCES), [{ kind: 'email', value: faker.internet.email().toLowerCase() }]);
  add('phone', pick(SENTENCES), [{ kind: 'phone', value: phone() }]);
  const number = card();
  add('credit_card', pick(SENTENCES), [{ kind: 'credit_card', value: pick([number, groupCard(number)]) }]);
  const account = iban();
  add('iban', pick(SENTENCES), [{ kind: 'iban', value: pick([account, account.replace(/(.{4})(?=.)/g, '$1 ')]) }]);
  add('us_ssn', pick(SENTENCES), [{ kind: 'us_ssn', value: ssn() }]);
  add('ip_address', pick(SENTENCES), [{ kind: 'ip_address', value: pick([faker.internet.ipv4(), faker.internet.ipv6()]) }]);
}

// Look-alikes: nothing is personal data here.
for (let i = 0; i < 40; i++) {
  const number = card();
  const wrong = number.slice(0, -1) + ((Number(number.at(-1)) + 1) % 10);
  add('look-alike card', pick(SENTENCES), [{ kind: 'none', value: pick([wrong, groupCard(wrong)]) }]);
  const account = iban();
  add('look-alike iban', pick(SENTENCES), [{ kind: 'none', value: account.slice(0, 2) + String((Number(account.slice(2, 4)) % 97) + 1).padStart(2, '0') + account.slice(4) }]);
  add('look-alike ssn', pick(SENTENCES), [{ kind: 'none', value: pick([`000-${digits(2).replace(/^00$/, '12')}-${digits(3)}1`, `666-12-${digits(3)}1`, `9${digits(2)}-34-${digits(3)}1`, `123-00-${digits(3)}1`, `123-45-0000`]) }]);
  add('look-alike number', pick(['Order {0} shipped on time.', 'Invoice {0} is overdue.', 'Build {0} passed all checks.']), [{ kind: 'none', value: pick([digits(8), `v${faker.number.int({ min: 1, max: 9 })}.${faker.number.int({ min: 0, max: 20 })}.${faker.number.int({ min: 0, max: 99 })}`, `#${digits(5)}`]) }]);
}

// Ordinary English sentences naming people.
const PEOPLE = [
  'Yesterday {0} called to move the appointment.',
  'The report was written by {0} and reviewed by {1}.',
  'Please ask {0} to sign the consent form.',
  'I met {0} at the conference last spring.',
  '{0} will take over the account next month.',
  'According to {0}, the shipment left on Monday.',
  'Our new manager, {0}, starts on the first of the month.',
  'Send the invoice to {0} in accounting.',
];
for (let i = 0; i < 150; i++) {
  const template = pick(PEOPLE);
  const person = () => ({ kind: 'person', value: pick([`${faker.person.firstName()} ${faker.person.lastName()}`, `${pick(['Dr.', 'Mrs.', 'Mr.', 'Ms.'])} ${faker.person.lastName()}`, `${pick(['Dr.', 'Mrs.', 'Mr.', 'Ms.'])} ${faker.person.firstName()} ${faker.person.lastName()}`]) });
  add('person', template, template.includes('{1}') ? [person(), person()] : [person()]);
}

// Ordinary sentences with capitalized words that are not names (departments, documents,
// products, headings): whatever is found here as a person is a false positive.
const NO_NAMES = [
  'Send the invoice to Accounts Payable before Friday.',
  'The Quality Team met on Monday Morning to review the backlog.',
  'Please forward the ticket to Customer Service.',
  'The Annual Report is due at the end of the quarter.',
  'Our Emergency Room was busy over the Easter weekend.',
  'The Board of Directors approved the new Travel Policy.',
  'Open the Settings page and choose Privacy Options.',
  'Billing Department staff will call back within two days.',
  'The Patient Portal was down for maintenance on Sunday.',
  'Read the Terms of Service before signing up.',
  'The Intensive Care Unit has three free beds tonight.',
  'Discharge Summary attached; see Section Four for the medication list.',
  'The Release Notes mention a fix for the Export Wizard.',
  'Human Resources will send the Employee Handbook next week.',
  'The Cardiology Clinic moved to the second floor.',
  'Contact Technical Support if the Login Screen freezes again.',
  'Our Spring Sale ends on the last day of April.',
  'The Safety Committee reviewed the Incident Report on Tuesday.',
  'Please fill in the Consent Form and the Medical History questionnaire.',
  'The Data Protection Officer signed off on the Retention Schedule.',
  'Purchase Order approval is pending in Procurement.',
  'The Night Shift reported no incidents.',
  'See the User Guide, Chapter Two, for setup steps.',
  'The Research Grant covers travel and lab costs.',
  'Operating Theatre cleaning starts at six.',
];
for (const text of NO_NAMES) add('no names', text, []);

// Names from many languages, written here rather than drawn from faker's English lists.
const WORLD_NAMES = [
  'Nguyen Van An', "Siobhan O'Sullivan", 'Oluwaseun Adeyemi', 'Priya Raghunathan', 'Zhang Wei', 'Mohammed Al-Farsi', 'Kenji Watanabe',
  'Agnieszka Kowalczyk', 'Thabo Nkosi', 'Ingrid Bergström', 'Aarav Sharma', 'Fatima Zahra Benali', 'Diego Hernández', 'Chiamaka Okafor',
  'Yusuf Demir', 'Leilani Kahale', 'Björn Lindqvist', 'Anh Tran', 'Mei Ling Chen', 'Rafael Moreno',
];
const WORLD_TEMPLATES = ['Please ask {0} to sign the consent form.', 'The report was reviewed by {0} yesterday.', '{0} will call you back tomorrow.', 'I spoke with {0} about the invoice.', 'According to {0}, the results are normal.'];
WORLD_NAMES.forEach((name, i) => add('person (names from many languages)', WORLD_TEMPLATES[i % WORLD_TEMPLATES.length]!, [{ kind: 'person', value: name }]));

writeFileSync(new URL('../test/fixtures/detection/labeled.json', import.meta.url), `${JSON.stringify(cases, null, 1)}\n`);
console.log(`wrote ${cases.length} cases`);
