import { getDirective } from '@graphql-tools/utils';
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { isValidKind, kindFromName } from '../tokens/token-format.js';
import type { RevealLevel } from '../auth/reveal.js';
import { PII_STRATEGIES, transformFor, type PiiStrategy } from '../transform/strategies.js';

/** Effective annotations keyed `Type.field`. */
export type PiiAnnotations = Map<string, PiiAnnotation>;

export interface PiiAnnotation {
  kind: string;
  strategy: PiiStrategy;
  /** The most this field reveals to any caller. */
  maxReveal: RevealLevel;
}

/** Whether two annotations ask for the same treatment. */
export function sameAnnotation(a: PiiAnnotation, b: PiiAnnotation): boolean {
  return a.kind === b.kind && a.strategy === b.strategy && a.maxReveal === b.maxReveal;
}

/** A @pii annotation that cannot be honoured. Names the type and field; startup stops. */
export class AnnotationError extends Error {
  override name = 'AnnotationError';
}

/** Scalars a token (a string) can stand in for. */
const TOKEN_CARRIERS = new Set(['String', 'ID']);

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
  return checkAnnotation(where, field.name, args.kind as string | undefined, args.strategy as string | undefined, getNamedType(field.type).name, args.maxReveal as string | undefined);
}

/**
 * Checks one annotation, wherever it was written (SDL directive or annotations file): kind
 * syntax, a known and implemented strategy, and a field type a token can stand in for.
 */
export function checkAnnotation(
  where: string,
  fieldName: string,
  kindArg: string | undefined,
  strategyArg: string | undefined,
  namedType: string,
  maxRevealArg?: string,
): PiiAnnotation {
  const kind = kindArg ?? kindFromName(fieldName);
  if (!kind || !isValidKind(kind)) {
    throw new AnnotationError(`${where}: @pii kind must be lowercase letters, digits and underscores, starting with a letter (at most 32)`);
  }
  const strategy = (strategyArg ?? 'TOKENIZE') as PiiStrategy;
  if (!PII_STRATEGIES.includes(strategy)) throw new AnnotationError(`${where}: unknown @pii strategy`);
  if (!transformFor(strategy)) throw new AnnotationError(`${where}: @pii strategy ${strategy} is not implemented yet`);
  if (!TOKEN_CARRIERS.has(namedType)) {
    throw new AnnotationError(`${where}: @pii(strategy: ${strategy}) needs a String or ID field (or a list of them), not ${namedType}`);
  }
  const maxReveal = (maxRevealArg ?? 'PLAIN') as RevealLevel;
  if (!REVEAL_LEVELS.includes(maxReveal)) throw new AnnotationError(`${where}: maxReveal must be TOKEN, MASKED or PLAIN`);
  return { kind, strategy, maxReveal };
}

const REVEAL_LEVELS: readonly string[] = ['TOKEN', 'MASKED', 'PLAIN'];
