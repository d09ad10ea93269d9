import type { JsonValue } from '../json.js';

/** What a transform needs from the request: the request's vault, bound to its tenant. */
export interface TransformContext {
  tokenize(kind: string, value: JsonValue): string;
}

/** Turns one serialized scalar of a @pii field into what the client may see. */
export type FieldTransform = (value: string, kind: string, context: TransformContext) => string;
