import {
  getDirectiveValues,
  getNamedType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type GraphQLSchema,
  type TypeNode,
} from 'graphql';
import {
  AnnotationError,
  checkAnnotation,
  sameAnnotation,
  strategyTargetOf,
  type PiiAnnotation,
  type PiiAnnotations,
  type PiiDirectiveArgs,
} from '../directive/pii-annotation.js';
import { piiDirectiveDefinition } from '../directive/pii-directive-definition.js';

/** What an annotations file (and an upstream's own @pii) says about the upstream schema. */
export interface UpstreamAnnotations {
  /** `Type.field` of object types; interface annotations are copied to their implementations. */
  fields: PiiAnnotations;
  /** Arguments that carry tokens, `Type.field(argument)` -> kind. */
  argumentKinds: Map<string, string>;
  /** Input object fields that carry tokens, `Input.field` -> kind. */
  inputFieldKinds: Map<string, string>;
}

/**
 * Reads an annotations file: plain SDL naming only the upstream types and fields to annotate,
 *
 *   type Patient { email: String @pii(kind: "email") }
 *   type Query { patientByEmail(email: String @pii(kind: "email")): Patient }
 *   input PatientFilter { email: String @pii(kind: "email") }
 *
 * (`extend type` works too), and checks every annotation against the upstream schema. Every
 * problem is reported at once, each naming the file, line, type and field.
 */
export function readAnnotationsFile(sdl: string, source: string, upstream: GraphQLSchema): UpstreamAnnotations {
  let document;
  try {
    document = parse(sdl);
  } catch (error) {
    throw new AnnotationError(`${source}: ${(error as Error).message}`);
  }
  const result: UpstreamAnnotations = { fields: new Map(), argumentKinds: new Map(), inputFieldKinds: new Map() };
  const interfaceFields = new Map<string, PiiAnnotation>();
  const problems: string[] = [];
  const attempt = (work: () => void) => {
    try {
      work();
    } catch (error) {
      if (!(error instanceof AnnotationError)) throw error;
      problems.push(error.message);
    }
  };

  for (const definition of document.definitions) {
    const line = definition.loc?.startToken.line ?? 0;
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        const type = upstream.getType(typeName);
        if (!isObjectType(type) && !isInterfaceType(type)) {
          problems.push(`${source}:${line}: type ${typeName} does not exist upstream as an object type or interface`);
          break;
        }
        for (const field of definition.fields ?? []) {
          const fieldLine = field.loc?.startToken.line ?? line;
          const where = `${source}:${fieldLine} ${typeName}.${field.name.value}`;
          attempt(() => {
            const upstreamField = type.getFields()[field.name.value];
            if (!upstreamField) throw new AnnotationError(`${where}: no such field upstream`);
            checkWrittenType(where, field.type, getNamedType(upstreamField.type).name);
            const directive = piiDirective(field.directives, where);
            if (directive) {
              const annotation = checkAnnotation(where, field.name.value, directive, strategyTargetOf(upstreamField.type));
              (isInterfaceType(type) ? interfaceFields : result.fields).set(`${typeName}.${field.name.value}`, annotation);
            }
            for (const argument of field.arguments ?? []) {
              const argWhere = `${where}(${argument.name.value})`;
              attempt(() => {
                const upstreamArg = upstreamField.args.find((arg) => arg.name === argument.name.value);
                if (!upstreamArg) throw new AnnotationError(`${argWhere}: no such argument upstream`);
                const argDirective = piiDirective(argument.directives, argWhere);
                if (!argDirective) return;
                const { kind } = checkAnnotation(argWhere, argument.name.value, argDirective, strategyTargetOf(upstreamArg.type));
                result.argumentKinds.set(`${typeName}.${field.name.value}(${argument.name.value})`, kind);
              });
            }
          });
        }
        break;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        const type = upstream.getType(typeName);
        if (!isInputObjectType(type)) {
          problems.push(`${source}:${line}: input type ${typeName} does not exist upstream`);
          break;
        }
        for (const field of definition.fields ?? []) {
          const where = `${source}:${field.loc?.startToken.line ?? line} ${typeName}.${field.name.value}`;
          attempt(() => {
            const upstreamField = type.getFields()[field.name.value];
            if (!upstreamField) throw new AnnotationError(`${where}: no such input field upstream`);
            const directive = piiDirective(field.directives, where);
            if (!directive) return;
            const { kind } = checkAnnotation(where, field.name.value, directive, strategyTargetOf(upstreamField.type));
            result.inputFieldKinds.set(`${typeName}.${field.name.value}`, kind);
          });
        }
        break;
      }
      default:
        problems.push(`${source}:${line}: only type, interface and input definitions belong in an annotations file`);
    }
  }

  for (const [key, annotation] of interfaceFields) {
    const [interfaceName, fieldName] = key.split('.') as [string, string];
    const iface = upstream.getType(interfaceName);
    if (!isInterfaceType(iface)) continue;
    for (const implementation of upstream.getPossibleTypes(iface)) {
      const own = result.fields.get(`${implementation.name}.${fieldName}`);
      if (own && !sameAnnotation(own, annotation)) {
        problems.push(`${source}: ${implementation.name}.${fieldName}: its @pii differs from the one on ${key}`);
      } else {
        result.fields.set(`${implementation.name}.${fieldName}`, annotation);
      }
    }
  }
  if (problems.length > 0) throw new AnnotationError(`invalid @pii annotations:\n  ${problems.join('\n  ')}`);
  return result;
}

/** Adds annotations from another source (the upstream's own SDL); a disagreement is an error. */
export function mergeAnnotations(into: UpstreamAnnotations, fields: PiiAnnotations, source: string): void {
  for (const [key, annotation] of fields) {
    const existing = into.fields.get(key);
    if (existing && !sameAnnotation(existing, annotation)) {
      throw new AnnotationError(`${key}: the annotations file and ${source} disagree on its @pii`);
    }
    into.fields.set(key, annotation);
  }
}

/** The @pii of a definition, its arguments coerced by schema/pii.graphql (types, defaults, options). */
function piiDirective(directives: readonly ConstDirectiveNode[] | undefined, where: string): PiiDirectiveArgs | undefined {
  if (!directives?.some((d) => d.name.value === 'pii')) return undefined;
  try {
    return getDirectiveValues(piiDirectiveDefinition(), { directives }) as PiiDirectiveArgs;
  } catch (error) {
    throw new AnnotationError(`${where}: ${(error as Error).message}`);
  }
}

function checkWrittenType(where: string, written: TypeNode, upstreamNamed: string): void {
  let node = written;
  while (node.kind !== Kind.NAMED_TYPE) node = node.type;
  if (node.name.value !== upstreamNamed) {
    throw new AnnotationError(`${where}: upstream it is ${upstreamNamed}, not ${node.name.value}`);
  }
}
