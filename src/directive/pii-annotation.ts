import { getDirective } from '@graphql-tools/utils';
import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { isValidKind, kindFromName } from '../tokens/token-format.js';
import type { RevealLevel } from '../auth/reveal.js';
import { StrategyOptionError, type FieldTransform, type StrategyTarget } from '../transform/field-transform.js';
import { createTransform, type PiiStrategy, type StrategyArguments } from '../transform/strategies.js';

/** Effective annotations keyed `Type.field`. */
export type PiiAnnotations = Map<string, PiiAnnotation>;

export interface PiiAnnotation {
  kind: string;
  strategy: PiiStrategy;
  /** The strategy's options as written (coerced, defaults filled in). */
  options: unknown;
  /** The most this field reveals to any caller. */
  maxReveal: RevealLevel;
  /** The strategy with its options, checked against the field's type. */
  transform: FieldTransform;
}

/** The arguments of one @pii, as graphql-js coerces them. */
export type PiiDirectiveArgs = StrategyArguments & { kind?: string | null; maxReveal?: string | null };

/** Whether two annotations ask for the same treatment. */
export function sameAnnotation(a: PiiAnnotation, b: PiiAnnotation): boolean {
  return a.kind === b.kind && a.strategy === b.strategy && a.maxReveal === b.maxReveal && JSON.stringify(a.options) === JSON.stringify(b.options);
}

/** What a strategy writes into for a field of this type: a list's items, not the list. */
export function strategyTargetOf(type: GraphQLType): StrategyTarget {
  let inner = type;
  while (isListType(getNullableType(inner))) inner = (getNullableType(inner) as { ofType: GraphQLType }).ofType;
  return { type: getNamedType(inner).name, nullable: !isNonNullType(inner) };
}

/** A @pii annotation that cannot be honoured. Names the type and field; startup stops. */
export class AnnotationError extends Error {
  override name = 'AnnotationError';
}

/**
 * Every effective @pii annotation of the schema's object types, keyed `Type.field`, checked.
 * An object field without its own @pii inherits the one on the same field of an interface it
 * implements, because graphql-js only ever runs the object's resolver.
 */
export function collectPiiAnnotations(schema: GraphQLSchema): PiiAnnotations {
  const annotations: PiiAnnotations = new Map();
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        try {
          read(schema, field, `${type.name}.${field.name}`);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
    }
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const where = `${type.name}.${field.name}`;
      try {
        const own = read(schema, field, where);
        const inherited = type
          .getInterfaces()
          .map((iface) => iface.getFields()[field.name])
          .map((ifaceField) => ifaceField && read(schema, ifaceField, `${where} (from an interface)`))
          .find((annotation) => annotation !== undefined);
        if (own && inherited && !sameAnnotation(own, inherited)) {
          throw new AnnotationError(`${where}: its @pii differs from the one on the interface field it implements`);
        }
        const effective = own ?? inherited;
        if (effective) annotations.set(where, effective);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  if (problems.length > 0) throw new AnnotationError(`invalid @pii annotations:\n  ${problems.join('\n  ')}`);
  return annotations;
}

function read(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>, where: string): PiiAnnotation | undefined {
  const args = getDirective(schema, field, 'pii')?.[0];
  if (!args) return undefined;
  return checkAnnotation(where, field.name, args as PiiDirectiveArgs, strategyTargetOf(field.type));
}

/**
 * Checks one annotation, wherever it was written (SDL directive or annotations file): kind
 * syntax, a known strategy, and options that fit the field's type.
 */
export function checkAnnotation(where: string, fieldName: string, args: PiiDirectiveArgs, target: StrategyTarget): PiiAnnotation {
  const kind = args.kind ?? kindFromName(fieldName);
  if (!kind || !isValidKind(kind)) {
    throw new AnnotationError(`${where}: @pii kind must be lowercase letters, digits and underscores, starting with a letter (at most 32)`);
  }
  const maxReveal = (args.maxReveal ?? 'PLAIN') as RevealLevel;
  if (!REVEAL_LEVELS.includes(maxReveal)) throw new AnnotationError(`${where}: maxReveal must be TOKEN, MASKED or PLAIN`);
  try {
    return { kind, maxReveal, ...createTransform(args, target) };
  } catch (error) {
    if (error instanceof StrategyOptionError) throw new AnnotationError(`${where}: ${error.message}`);
    throw error;
  }
}

const REVEAL_LEVELS: readonly string[] = ['TOKEN', 'MASKED', 'PLAIN'];
