import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { getNamedType, isLeafType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { transformFailed } from '../errors/gateway-error.js';
import { TransformFailure, withTextSpans, type Scalar, type TransformContext } from '../transform/field-transform.js';
import { revealOrTransform, treatmentOf } from '../transform/reveal-value.js';
import { collectPiiAnnotations, type PiiAnnotation, type PiiAnnotations } from './pii-annotation.js';

/** The part of the GraphQL context that @pii fields use. */
export interface PiiContext {
  pii: TransformContext;
}

/**
 * Wraps the resolver of every @pii field so its value is transformed before graphql-js
 * serializes it. Synchronous values stay synchronous: a token is an HMAC and its write is only
 * queued, so a 1,000-row list costs no promise per field.
 */
export function applyPiiDirective(schema: GraphQLSchema): GraphQLSchema {
  return applyPiiAnnotations(schema, collectPiiAnnotations(schema));
}

/** The same, for annotations gathered elsewhere (an annotations file, an upstream's SDL). */
export function applyPiiAnnotations(schema: GraphQLSchema, annotations: PiiAnnotations): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const annotation = annotations.get(`${typeName}.${fieldName}`);
      if (!annotation) return fieldConfig;
      const scalar = getNamedType(fieldConfig.type);
      if (!isLeafType(scalar)) return fieldConfig;
      // String and ID serialize a string to itself; only other values need the scalar's word.
      const serialize = (value: unknown) => (typeof value === 'string' ? value : (scalar.serialize(value) as Scalar));
      return {
        ...fieldConfig,
        description: describe(fieldConfig.description, annotation),
        resolve: wrap(fieldConfig.resolve ?? propertyOf(fieldName), annotation, serialize),
      };
    },
  });
}

/** What GraphiQL's docs explorer shows of a @pii field: the description plus its treatment. */
function describe(description: string | null | undefined, annotation: PiiAnnotation): string {
  const note = `PII: kind \`${annotation.kind}\`, ${annotation.strategy}${annotation.maxReveal === 'PLAIN' ? '' : `, revealed at most ${annotation.maxReveal}`}.`;
  return description ? `${description}\n\n${note}` : note;
}

function wrap(
  resolve: GraphQLFieldResolver<unknown, unknown>,
  annotation: PiiAnnotation,
  serialize: (value: unknown) => Scalar,
): GraphQLFieldResolver<unknown, unknown> {
  const { kind, maxReveal, transform, strategy } = annotation;
  const one = (value: Scalar, context: TransformContext): Scalar | null => {
    try {
      return revealOrTransform(value, kind, maxReveal, transform, context);
    } catch (error) {
      // The field becomes null with an error naming the reason; the value goes nowhere.
      if (error instanceof TransformFailure) throw transformFailed(strategy, error.message);
      throw error;
    }
  };
  // TEXT: the spans come from the request's batched detection (off the event loop when large),
  // unless the caller sees the value itself and nothing is to be detected.
  const first =
    strategy === 'TEXT'
      ? (value: Scalar, context: TransformContext): Scalar | null | Promise<Scalar | null> => {
          const { spansFor } = context;
          if (!spansFor || typeof value !== 'string' || treatmentOf(value, kind, maxReveal, context) !== 'TRANSFORM') return one(value, context);
          return spansFor(value).then((spans) => one(value, withTextSpans(context, new Map([[value, spans]]))));
        }
      : one;
  const apply = (value: unknown, context: TransformContext): unknown => {
    // An Error stands in for a value that failed upstream; graphql-js reports it as the field's error.
    if (value == null || value instanceof Error) return value;
    if (Array.isArray(value)) return value.map((item) => apply(item, context));
    return first(serialize(value), context);
  };
  return (source, args, context, info) => {
    const pii = (context as Partial<PiiContext> | undefined)?.pii;
    if (!pii) throw new Error('@pii field resolved without a pii context; refusing to return the raw value');
    const result = resolve(source, args, context, info);
    // The common case first: a plain string, with no promise or list checks on the way.
    if (typeof result === 'string') return first(result, pii);
    return isPromiseLike(result) ? Promise.resolve(result).then((value) => apply(value, pii)) : apply(result, pii);
  };
}

/** graphql-js's defaultFieldResolver for one known field name, without its per-call lookups. */
function propertyOf(fieldName: string): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const value = (source as Record<string, unknown> | null)?.[fieldName];
    return typeof value === 'function' ? value.call(source, args, context, info) : value;
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
