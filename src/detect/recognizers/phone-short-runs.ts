import { getCountries, getCountryCallingCode, Metadata, type CountryCode } from 'libphonenumber-js/max';

// What libphonenumber's candidate pattern (PhoneNumberMatcher, libphonenumber-js 1.x) reads as one
// number: digits of any script, "+" signs, and the punctuation it allows between them (its
// VALID_PUNCTUATION). A run starts at a digit or "+" here, then takes in the punctuation before it.
// If the package's patterns change, the tests comparing with libphonenumber itself fail.
const PUNCTUATION_CHARACTERS = '\\-\\u2010-\\u2015\\u2212\\u30FC\\uFF0D\\uFF0F/\\uFF0E. \\xA0\\xAD\\u200B\\u2060\\u3000()\\uFF08\\uFF09\\uFF3B\\uFF3D[\\]~\\u2053\\u223C\\uFF5E';
const PUNCTUATION = new RegExp(`[${PUNCTUATION_CHARACTERS}]`, 'u');
const NUMBER_RUN = new RegExp(`[\\p{Nd}+\\uFF0B][\\p{Nd}+\\uFF0B${PUNCTUATION_CHARACTERS}]*`, 'gu');
const DIGIT = /\p{Nd}/gu;
const NON_ASCII = /[^\x00-\x7F]/;
const PLUS = /[+\uFF0B]/;
const NOT_ASCII_DIGIT = /[^0-9]/;
// Characters its extension patterns ("555 1234 ext. 12", "…, 12", "…;ext=12", "…#") read after a number.
const EXTENSION_CHARACTER = /[#\uFF03,;:=\t]/;
const LETTER = /[\p{L}\p{M}]/u;
// Its extension labels (explicit and ambiguous), as whole words.
const EXTENSION_LABEL = /^(?:e?xt(?:ensi(?:o\u0301?|ó))?n?|\uFF45?\uFF58\uFF54\uFF4E?|доб|anexo|[x\uFF58]|int|\uFF49\uFF4E\uFF54)$/iu;

export interface ShortRuns {
  /** The fewest digits, of any script, a text with a valid phone number has. */
  fewestDigits: number;
  /** Whether the text has `fewestDigits` once digits of other scripts (libphonenumber reads "١٢٣٤" too) are counted. */
  hasDigitsOfOtherScripts(text: string): boolean;
  /** The runs of the text that no valid phone number can come from. */
  find(text: string): Range[];
}

export interface Range {
  start: number;
  end: number;
}

/**
 * Runs of number characters that no valid phone number can come from, with `defaultCountry` as
 * libphonenumber's default: fewer digits than that country's shortest number, no "+", not
 * starting with its international prefix, all digits ASCII, and on each side something
 * libphonenumber never reads into a number: the text's edge, a word that is not an extension
 * label, or a character outside its patterns (not ",", ";", "#", ":", "=", tab). Its matches and
 * the characters it looks at around them ("2024-03-05 12" then ":30") then never reach into such
 * a run, so blanking the run changes nothing it finds.
 */
export function shortRunsOfDigits(defaultCountry: CountryCode): ShortRuns {
  const fewest = fewestNationalDigits(defaultCountry);
  const fewestDigits = Math.min(fewest, fewestInternationalDigits());
  const internationalPrefix = new RegExp(`^(?:${internationalPrefixOf(defaultCountry)})`);
  return {
    fewestDigits,
    hasDigitsOfOtherScripts: (text) => NON_ASCII.test(text) && (text.match(DIGIT)?.length ?? 0) >= fewestDigits,
    find: (text) => isolatedShortRuns(text, fewest, internationalPrefix),
  };
}

function isolatedShortRuns(text: string, fewest: number, internationalPrefix: RegExp): Range[] {
  const runs: Range[] = [];
  for (const match of text.matchAll(NUMBER_RUN)) {
    const run = match[0];
    const digits = (run.match(DIGIT) ?? []).join('');
    // Digits of other scripts are left to libphonenumber, which reads "٠٠" as an international prefix too.
    if (digits === '' || digits.length >= fewest || PLUS.test(run) || NOT_ASCII_DIGIT.test(digits) || internationalPrefix.test(digits)) continue;
    let start = match.index;
    while (start > 0 && PUNCTUATION.test(text[start - 1]!)) start--;
    const end = match.index + run.length;
    if (closesOff(text, start - 1, -1) && closesOff(text, end, 1)) runs.push({ start, end });
  }
  return runs;
}

/** Whether the character at `at` (the neighbour of a run, looking away from it by `step`) keeps libphonenumber from reading past it. */
function closesOff(text: string, at: number, step: -1 | 1): boolean {
  const character = text[at];
  if (character === undefined) return true;
  if (EXTENSION_CHARACTER.test(character)) return false;
  if (!LETTER.test(character)) return true;
  let end = at;
  while (text[end + step] !== undefined && LETTER.test(text[end + step]!)) end += step;
  const word = step === 1 ? text.slice(at, end + 1) : text.slice(end, at + 1);
  return !EXTENSION_LABEL.test(word);
}

/**
 * The fewest digits a valid national number of the country can be written with: the shortest
 * possible length among the countries sharing its calling code (the number may turn out to be
 * theirs), less the digits its national prefix rule may add (AG's "268$1").
 */
function fewestNationalDigits(country: CountryCode): number {
  const callingCode = getCountryCallingCode(country);
  const metadata = new Metadata();
  let fewest = Infinity;
  for (const other of getCountries()) {
    if (getCountryCallingCode(other) !== callingCode) continue;
    metadata.selectNumberingPlan(other);
    fewest = Math.min(fewest, ...metadata.numberingPlan!.possibleLengths());
  }
  metadata.selectNumberingPlan(country);
  // Not in the package's types; metadata without a rule gives 0.
  const rule: unknown = (metadata.numberingPlan as { nationalPrefixTransformRule?: () => unknown }).nationalPrefixTransformRule?.();
  const added = typeof rule === 'string' ? rule.replace(/\$\d/g, '').replace(/\D/g, '').length : 0;
  return Math.max(1, fewest - added);
}

/** The fewest digits of any possible international number: its calling code and national number. */
function fewestInternationalDigits(): number {
  const metadata = new Metadata();
  let fewest = Infinity;
  for (const country of getCountries()) {
    metadata.selectNumberingPlan(country);
    fewest = Math.min(fewest, getCountryCallingCode(country).length + Math.min(...metadata.numberingPlan!.possibleLengths()));
  }
  return fewest;
}

function internationalPrefixOf(country: CountryCode): string {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(country);
  return metadata.numberingPlan!.IDDPrefix();
}
