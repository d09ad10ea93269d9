/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type ForgetValueInput = {
  /** The kind the value was tokenized as (email, person, ...). */
  kind: string;
  /** The original as it was tokenized: a string, or any JSON value. */
  value: unknown;
};

export type PiiAlphabet =
  /** 0-9, A-Z, a-z: radix 62, at least 4 characters. */
  | 'ALPHANUMERIC'
  /** 0-9: radix 10, at least 6 digits. */
  | 'DIGITS';

export type PiiFormatPreservingOptions = {
  /** Which characters are encrypted; every other character stays where it is. */
  alphabet?: PiiAlphabet | null | undefined;
  /** How many of the last encrypted-alphabet characters stay in the clear (e.g. 4 for a card). */
  keepLast?: number | null | undefined;
  /**
   * The value is a card number with a valid Luhn check digit, and the result has one too (the
   * last encrypted digit is chosen to make it valid). A value failing Luhn is withheld.
   */
  luhn?: boolean | null | undefined;
};

export type PiiGeneralization =
  /** A date of birth to the age band it is in today: `30-39`. */
  | 'AGE_BAND'
  /** An email to its domain: `example.com`. */
  | 'EMAIL_DOMAIN'
  /** `lat,lng` (String) or one coordinate (Float) to the south-west corner of its grid cell. */
  | 'GEO_GRID'
  /** A date to its month: `1984-03`. */
  | 'MONTH'
  /** A number to its bucket: `30-39` on a String field, the bucket's lower bound on a number field. */
  | 'NUMBER_BUCKET'
  /** A postal code to its first characters: `SW1`. */
  | 'POSTAL_PREFIX'
  /** A date to its year: `1984` (String or Int field). */
  | 'YEAR';

export type PiiGeneralizeOptions = {
  /** GEO_GRID: the cell size in degrees (default 0.1). */
  cell?: number | null | undefined;
  /** POSTAL_PREFIX: how many characters are kept (default 3). */
  length?: number | null | undefined;
  /** AGE_BAND and NUMBER_BUCKET: the width of a band (default 10). */
  size?: number | null | undefined;
  to: PiiGeneralization;
};

export type PiiHashEncoding =
  | 'BASE64URL'
  | 'HEX';

export type PiiHashOptions = {
  encoding?: PiiHashEncoding | null | undefined;
  /** Keep only the first `length` characters (at least 8). */
  length?: number | null | undefined;
};

export type PiiMaskOptions = {
  /** The mask character. */
  char?: string | null | undefined;
  /** Characters kept at the start (of the local part, for an email). */
  keepFirst?: number | null | undefined;
  /** Characters kept at the end (of the local part, for an email). */
  keepLast?: number | null | undefined;
};

export type PiiNoiseOptions = {
  /** Decimals kept in the noisy value (Int fields always round to whole numbers). */
  decimals?: number | null | undefined;
  /** The privacy parameter: smaller means more noise. Greater than 0. */
  epsilon: number;
  /** How much one person can change the value. Greater than 0. */
  sensitivity?: number | null | undefined;
};

export type PiiRedactOptions = {
  /** The text of `to: TEXT`. */
  text?: string | null | undefined;
  to?: PiiRedactTo | null | undefined;
};

export type PiiRedactTo =
  /** null; not allowed on a non-null field. */
  | 'NULL'
  /** A fixed text; needs a String field. */
  | 'TEXT';

/**
 * One path of an anonymize payload and its treatment, as @pii gives a field: the path in the
 * `fields` syntax, the kind (default: from the path), the strategy and its options.
 */
export type PiiRule = {
  formatPreserving?: PiiFormatPreservingOptions | null | undefined;
  generalize?: PiiGeneralizeOptions | null | undefined;
  hash?: PiiHashOptions | null | undefined;
  kind?: string | null | undefined;
  mask?: PiiMaskOptions | null | undefined;
  noise?: PiiNoiseOptions | null | undefined;
  path: string;
  redact?: PiiRedactOptions | null | undefined;
  strategy?: PiiStrategy | null | undefined;
  text?: PiiTextOptions | null | undefined;
};

/** How a @pii value is transformed on the way out. */
export type PiiStrategy =
  /**
   * NIST FF1 (AES-256) over the value's digits (or letters and digits): same length, same
   * separators, deterministic per tenant and kind, reversible with the key alone, nothing stored.
   */
  | 'FORMAT_PRESERVING'
  /** A coarser value: a year, a month, an age band, a bucket, a domain, a prefix, a grid cell. */
  | 'GENERALIZE'
  /** A keyed HMAC-SHA256 per tenant: deterministic (countable), irreversible. */
  | 'HASH'
  /** Characters replaced by a mask character, some kept. Irreversible. */
  | 'MASK'
  /** Laplace noise on a number, the same for the same value (no averaging by repetition). */
  | 'NOISE'
  /** Null, or a fixed text. */
  | 'REDACT'
  /**
   * The entities inside free text (names, places, organizations, emails, phones ...) become
   * tokens of their own kinds; the rest of the text stays. Restored by deanonymize.
   */
  | 'TEXT'
  /** A deterministic, reversible token whose original is kept encrypted in the token store. */
  | 'TOKENIZE';

export type PiiTextOptions = {
  /** Only these kinds of entity are replaced (person, email, phone ...); all by default. */
  kinds?: Array<string> | null | undefined;
};

export type TextMode =
  | 'PLACEHOLDERS'
  | 'TOKENS';

export type AnonymizePayloadMutationVariables = Exact<{
  payload: unknown;
  fields?: Array<string> | string | null | undefined;
}>;


export type AnonymizePayloadMutation = { anonymize: { payload: unknown, tokenized: number, unmatchedFields: Array<string>, kinds: Array<{ kind: string, count: number }> } };

export type AnonymizeWithStrategiesMutationVariables = Exact<{
  payload: unknown;
  rules?: Array<PiiRule> | PiiRule | null | undefined;
}>;


export type AnonymizeWithStrategiesMutation = { anonymize: { payload: unknown, unmatchedFields: Array<string>, strategies: Array<{ strategy: PiiStrategy, count: number }> } };

export type AnonymizeTextMutationVariables = Exact<{
  text: string;
  mode?: TextMode | null | undefined;
}>;


export type AnonymizeTextMutation = { anonymizeText: { text: string, mapping: unknown, spans: Array<{ kind: string, start: number, end: number, score: number }> } };

export type DemoPatientsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type DemoPatientsQuery = { patients: Array<{ id: string, name: string, email: string | null, ssn: string | null, address: { street: string | null, city: string }, appointments: Array<{ doctor: string, department: string }> }> };

export type DeanonymizeMutationVariables = Exact<{
  payload: unknown;
  reason?: string | null | undefined;
}>;


export type DeanonymizeMutation = { deanonymize: { payload: unknown, resolved: number, unresolved: number } };

export type ForgetValuesMutationVariables = Exact<{
  values: Array<ForgetValueInput> | ForgetValueInput;
  reason?: string | null | undefined;
}>;


export type ForgetValuesMutation = { forgetValues: { forgotten: number, notFound: number, kinds: Array<{ kind: string, count: number }> } };


export const AnonymizePayloadDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnonymizePayload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"payload"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fields"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"anonymize"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"payload"},"value":{"kind":"Variable","name":{"kind":"Name","value":"payload"}}},{"kind":"Argument","name":{"kind":"Name","value":"fields"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fields"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"tokenized"}},{"kind":"Field","name":{"kind":"Name","value":"kinds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unmatchedFields"}}]}}]}}]} as unknown as DocumentNode<AnonymizePayloadMutation, AnonymizePayloadMutationVariables>;
export const AnonymizeWithStrategiesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnonymizeWithStrategies"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"payload"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"rules"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PiiRule"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"anonymize"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"payload"},"value":{"kind":"Variable","name":{"kind":"Name","value":"payload"}}},{"kind":"Argument","name":{"kind":"Name","value":"rules"},"value":{"kind":"Variable","name":{"kind":"Name","value":"rules"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"strategies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"strategy"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unmatchedFields"}}]}}]}}]} as unknown as DocumentNode<AnonymizeWithStrategiesMutation, AnonymizeWithStrategiesMutationVariables>;
export const AnonymizeTextDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AnonymizeText"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"text"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TextMode"}},"defaultValue":{"kind":"EnumValue","value":"PLACEHOLDERS"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"anonymizeText"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"text"},"value":{"kind":"Variable","name":{"kind":"Name","value":"text"}}},{"kind":"Argument","name":{"kind":"Name","value":"mode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mode"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"mapping"}},{"kind":"Field","name":{"kind":"Name","value":"spans"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"end"}},{"kind":"Field","name":{"kind":"Name","value":"score"}}]}}]}}]}}]} as unknown as DocumentNode<AnonymizeTextMutation, AnonymizeTextMutationVariables>;
export const DemoPatientsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DemoPatients"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"3"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patients"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"ssn"}},{"kind":"Field","name":{"kind":"Name","value":"address"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"street"}},{"kind":"Field","name":{"kind":"Name","value":"city"}}]}},{"kind":"Field","name":{"kind":"Name","value":"appointments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"doctor"}},{"kind":"Field","name":{"kind":"Name","value":"department"}}]}}]}}]}}]} as unknown as DocumentNode<DemoPatientsQuery, DemoPatientsQueryVariables>;
export const DeanonymizeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Deanonymize"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"payload"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deanonymize"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"payload"},"value":{"kind":"Variable","name":{"kind":"Name","value":"payload"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"payload"}},{"kind":"Field","name":{"kind":"Name","value":"resolved"}},{"kind":"Field","name":{"kind":"Name","value":"unresolved"}}]}}]}}]} as unknown as DocumentNode<DeanonymizeMutation, DeanonymizeMutationVariables>;
export const ForgetValuesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ForgetValues"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"values"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ForgetValueInput"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"forgetValues"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"values"},"value":{"kind":"Variable","name":{"kind":"Name","value":"values"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"forgotten"}},{"kind":"Field","name":{"kind":"Name","value":"notFound"}},{"kind":"Field","name":{"kind":"Name","value":"kinds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<ForgetValuesMutation, ForgetValuesMutationVariables>;