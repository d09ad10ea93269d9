/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AnonymizePayload($payload: JSON!, $fields: [String!]) {\n  anonymize(payload: $payload, fields: $fields) {\n    payload\n    tokenized\n    kinds {\n      kind\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeWithStrategies($payload: JSON!, $rules: [PiiRule!]) {\n  anonymize(payload: $payload, rules: $rules) {\n    payload\n    strategies {\n      strategy\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeText($text: String!, $mode: TextMode = PLACEHOLDERS) {\n  anonymizeText(text: $text, mode: $mode) {\n    text\n    mapping\n    spans {\n      kind\n      start\n      end\n      score\n    }\n  }\n}\n\nquery DemoPatients($first: Int = 3) {\n  patients(first: $first) {\n    id\n    name\n    email\n    ssn\n    address {\n      street\n      city\n    }\n    appointments {\n      doctor\n      department\n    }\n  }\n}\n\nmutation Deanonymize($payload: JSON!, $reason: String) {\n  deanonymize(payload: $payload, reason: $reason) {\n    payload\n    resolved\n    unresolved\n  }\n}\n\nmutation ForgetValues($values: [ForgetValueInput!]!, $reason: String) {\n  forgetValues(values: $values, reason: $reason) {\n    forgotten\n    notFound\n    kinds {\n      kind\n      count\n    }\n  }\n}": typeof types.AnonymizePayloadDocument,
};
const documents: Documents = {
    "mutation AnonymizePayload($payload: JSON!, $fields: [String!]) {\n  anonymize(payload: $payload, fields: $fields) {\n    payload\n    tokenized\n    kinds {\n      kind\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeWithStrategies($payload: JSON!, $rules: [PiiRule!]) {\n  anonymize(payload: $payload, rules: $rules) {\n    payload\n    strategies {\n      strategy\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeText($text: String!, $mode: TextMode = PLACEHOLDERS) {\n  anonymizeText(text: $text, mode: $mode) {\n    text\n    mapping\n    spans {\n      kind\n      start\n      end\n      score\n    }\n  }\n}\n\nquery DemoPatients($first: Int = 3) {\n  patients(first: $first) {\n    id\n    name\n    email\n    ssn\n    address {\n      street\n      city\n    }\n    appointments {\n      doctor\n      department\n    }\n  }\n}\n\nmutation Deanonymize($payload: JSON!, $reason: String) {\n  deanonymize(payload: $payload, reason: $reason) {\n    payload\n    resolved\n    unresolved\n  }\n}\n\nmutation ForgetValues($values: [ForgetValueInput!]!, $reason: String) {\n  forgetValues(values: $values, reason: $reason) {\n    forgotten\n    notFound\n    kinds {\n      kind\n      count\n    }\n  }\n}": types.AnonymizePayloadDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AnonymizePayload($payload: JSON!, $fields: [String!]) {\n  anonymize(payload: $payload, fields: $fields) {\n    payload\n    tokenized\n    kinds {\n      kind\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeWithStrategies($payload: JSON!, $rules: [PiiRule!]) {\n  anonymize(payload: $payload, rules: $rules) {\n    payload\n    strategies {\n      strategy\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeText($text: String!, $mode: TextMode = PLACEHOLDERS) {\n  anonymizeText(text: $text, mode: $mode) {\n    text\n    mapping\n    spans {\n      kind\n      start\n      end\n      score\n    }\n  }\n}\n\nquery DemoPatients($first: Int = 3) {\n  patients(first: $first) {\n    id\n    name\n    email\n    ssn\n    address {\n      street\n      city\n    }\n    appointments {\n      doctor\n      department\n    }\n  }\n}\n\nmutation Deanonymize($payload: JSON!, $reason: String) {\n  deanonymize(payload: $payload, reason: $reason) {\n    payload\n    resolved\n    unresolved\n  }\n}\n\nmutation ForgetValues($values: [ForgetValueInput!]!, $reason: String) {\n  forgetValues(values: $values, reason: $reason) {\n    forgotten\n    notFound\n    kinds {\n      kind\n      count\n    }\n  }\n}"): (typeof documents)["mutation AnonymizePayload($payload: JSON!, $fields: [String!]) {\n  anonymize(payload: $payload, fields: $fields) {\n    payload\n    tokenized\n    kinds {\n      kind\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeWithStrategies($payload: JSON!, $rules: [PiiRule!]) {\n  anonymize(payload: $payload, rules: $rules) {\n    payload\n    strategies {\n      strategy\n      count\n    }\n    unmatchedFields\n  }\n}\n\nmutation AnonymizeText($text: String!, $mode: TextMode = PLACEHOLDERS) {\n  anonymizeText(text: $text, mode: $mode) {\n    text\n    mapping\n    spans {\n      kind\n      start\n      end\n      score\n    }\n  }\n}\n\nquery DemoPatients($first: Int = 3) {\n  patients(first: $first) {\n    id\n    name\n    email\n    ssn\n    address {\n      street\n      city\n    }\n    appointments {\n      doctor\n      department\n    }\n  }\n}\n\nmutation Deanonymize($payload: JSON!, $reason: String) {\n  deanonymize(payload: $payload, reason: $reason) {\n    payload\n    resolved\n    unresolved\n  }\n}\n\nmutation ForgetValues($values: [ForgetValueInput!]!, $reason: String) {\n  forgetValues(values: $values, reason: $reason) {\n    forgotten\n    notFound\n    kinds {\n      kind\n      count\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;