import type { ExecutionResult, Executor } from '@graphql-tools/utils';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNullableType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields.js';
import type { GatewayContext } from '../context.js';
import type { PiiAnnotation, PiiAnnotations } from '../directive/pii-annotation.js';
import { revealOrTransform, treatmentOf } from '../transform/reveal-value.js';
import { TransformFailure, withTextSpans, type TransformContext } from '../transform/field-transform.js';
import { ErrorCode, GatewayError, transformFailed } from '../errors/gateway-error.js';
import type { JsonValue } from '../json.js';

/** The alias under which the concrete type of abstract-typed objects is asked for, and removed. */
const TYPENAME_ALIAS = 'piiGatewayTypename__';

export interface PassthroughRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  context: GatewayContext;
}

/**
 * The fast path for operations whose root fields all belong to the upstream: the client's
 * operation goes upstream as it is (tokens in arguments resolved, `__typename` asked for where
 * the type is abstract), and the upstream's JSON result is walked once along the operation's
 * selections, tokenizing the @pii fields in place. No graphql-js execution and no per-object
 * delegation bookkeeping over the upstream's data, which is what proxying cost otherwise.
 *
 * Operations that also touch the gateway's own fields (anonymize, introspection) take the
 * general path: graphql-tools delegation per root field.
 */
export class Passthrough {
  private readonly forwarded = new WeakMap<DocumentNode, DocumentNode>();
  private readonly hasTextFields: boolean;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly upstream: GraphQLSchema,
    private readonly annotations: PiiAnnotations,
    private readonly executor: Executor,
  ) {
    this.hasTextFields = [...annotations.values()].some((annotation) => annotation.strategy === 'TEXT');
  }

  /** Whether every root field of the operation is the upstream's. */
  handles(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): boolean {
    if (operation.operation === 'subscription') return false;
    const root = this.schema.getRootType(operation.operation);
    const upstreamRoot = this.upstream.getRootType(operation.operation);
    if (!root || !upstreamRoot) return false;
    const upstreamFields = upstreamRoot.getFields();
    for (const [, nodes] of collectFields(this.schema, fragmentsOf(document), variables ?? {}, root, operation.selectionSet)) {
      const name = nodes[0]!.name.value;
      if (name !== '__typename' && !upstreamFields[name]) return false;
    }
    return true;
  }

  async execute(request: PassthroughRequest): Promise<ExecutionResult> {
    let result: ExecutionResult;
    try {
      result = (await this.executor({
        document: this.forwardedDocument(request.document),
        variables: request.variables,
        operationName: request.operationName,
        context: request.context,
      })) as ExecutionResult;
    } catch (error) {
      // A token argument that does not resolve: nothing went upstream.
      if (error instanceof GatewayError) result = { errors: [error] };
      else throw error;
    }
    if (!result.data) return this.failedOperation(request, result.errors ?? []);
    const walker = new ResultWalker(this.schema, this.annotations, fragmentsOf(request.document), request, [...(result.errors ?? [])]);
    const data = result.data as Record<string, JsonValue>;
    const root = this.schema.getRootType(request.operation.operation)!;
    const { spansFor } = request.context.pii;
    if (this.hasTextFields && spansFor) {
      // TEXT values first, all in one batch: detected on a thread when together they are large.
      const texts = new Set<string>();
      walker.texts(data, root, [request.operation.selectionSet], texts);
      if (texts.size > 0) {
        const spans = await Promise.all([...texts].map(spansFor));
        walker.pii = withTextSpans(walker.pii, new Map([...texts].map((text, i) => [text, spans[i]!])));
      }
    }
    const voided = walker.object(data, root, [request.operation.selectionSet], undefined);
    return { data: voided ? null : result.data, ...(walker.errors.length ? { errors: walker.errors } : {}) };
  }

  /**
   * Nothing came back (the upstream is down, or nothing was sent): each root field is null with
   * the error, as the general path answers, or `data` is null when a root field cannot be.
   */
  private failedOperation(request: PassthroughRequest, errors: readonly GraphQLError[]): ExecutionResult {
    const root = this.schema.getRootType(request.operation.operation)!;
    const fields = [...collectFields(this.schema, fragmentsOf(request.document), request.variables ?? {}, root, request.operation.selectionSet)];
    const nullable = fields.every(([, nodes]) => !isNonNullType(root.getFields()[nodes[0]!.name.value]?.type));
    const only = fields.length === 1 ? fields[0]![0] : undefined;
    return {
      data: nullable ? Object.fromEntries(fields.map(([key]) => [key, null])) : null,
      errors: errors.map((error) =>
        only !== undefined && !error.path && error instanceof GatewayError ? new GatewayError(error.code, error.message, { path: [only], details: detailsOf(error) }) : error,
      ),
    };
  }

  /** The client's document with `__typename` added under an alias wherever the type is abstract. */
  private forwardedDocument(document: DocumentNode): DocumentNode {
    let forwarded = this.forwarded.get(document);
    if (!forwarded) {
      const typeInfo = new TypeInfo(this.upstream);
      forwarded = visit(
        document,
        visitWithTypeInfo(typeInfo, {
          SelectionSet: (node): SelectionSetNode | undefined => {
            const type = typeInfo.getType();
            if (!type || !isAbstractType(getNamedType(type))) return undefined;
            const typename: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: TYPENAME_ALIAS }, name: { kind: Kind.NAME, value: '__typename' } };
            return { ...node, selections: [...node.selections, typename] };
          },
        }),
      );
      this.forwarded.set(document, forwarded);
    }
    return forwarded;
  }
}

/** Where a value sits in the result, built only when an error needs it. */
type Path = { prev: Path; key: string | number } | undefined;

function pathOf(path: Path): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at = path; at; at = at.prev) keys.unshift(at.key);
  return keys;
}

/** One field of a selection, worked out once per request for a (type, selections) pair. */
interface FieldPlan {
  key: string;
  /** The field's annotation when it is @pii. */
  annotation: PiiAnnotation | undefined;
  /** A String or ID field: its values are text whatever JSON type the upstream sent. */
  textual: boolean;
  type: GraphQLOutputType;
  selections: readonly SelectionSetNode[];
}

/** What a (type, selections) pair asks of each object: every response key, and the fields to transform or descend into. */
interface ObjectPlan {
  fields: FieldPlan[];
  keys: Set<string>;
}

/**
 * Walks one upstream result along the operation, tokenizing @pii values in place. Which
 * response keys to visit is computed once per (type, selections) and reused for every row.
 */
class ResultWalker {
  private readonly plans = new Map<readonly SelectionSetNode[], Map<string, ObjectPlan>>();
  private lastPlan: { type: GraphQLObjectType; selections: readonly SelectionSetNode[]; plan: ObjectPlan } | undefined;
  /** What the transforms get: the request's, with the spans of its TEXT values once found. */
  pii: TransformContext;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly annotations: PiiAnnotations,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly request: PassthroughRequest,
    readonly errors: GraphQLError[],
  ) {
    this.pii = request.context.pii;
  }

  /** The strings of a scalar field's value (a list's, nested). */
  private leaves(value: JsonValue, each: (text: string) => void): void {
    if (typeof value === 'string') each(value);
    else if (Array.isArray(value)) for (const item of value) this.leaves(item, each);
  }

  /** Gathers the strings of TEXT fields the caller gets transformed, along the same plans as `object`. */
  texts(value: JsonValue, type: GraphQLOutputType, selections: readonly SelectionSetNode[], out: Set<string>): void {
    if (value === null || typeof value !== 'object') return;
    const nullable = getNullableType(type);
    if (Array.isArray(value)) {
      if (isListType(nullable)) for (const item of value) this.texts(item, nullable.ofType, selections, out);
      return;
    }
    const concrete = this.concreteType(value, nullable);
    if (!concrete) return;
    for (const field of this.plan(concrete, selections).fields) {
      const fieldValue = value[field.key];
      if (fieldValue == null) continue;
      const { annotation } = field;
      if (annotation?.strategy === 'TEXT') {
        this.leaves(fieldValue, (text) => {
          if (treatmentOf(text, annotation.kind, annotation.maxReveal, this.pii) === 'TRANSFORM') out.add(text);
        });
      } else if (annotation === undefined && field.selections.length > 0) {
        this.texts(fieldValue, field.type, field.selections, out);
      }
    }
  }

  /**
   * Transforms the object's @pii fields in place. Returns true when the object itself must
   * become null: a value was withheld from a non-null field, and, as graphql-js does, the null
   * goes up to the nearest field or list item that may be null.
   */
  object(object: Record<string, JsonValue>, type: GraphQLObjectType, selections: readonly SelectionSetNode[], path: Path): boolean {
    const { fields, keys } = this.plan(type, selections);
    // Only what was asked leaves: an upstream that answers more (a field not selected, our
    // __typename alias) has it dropped here, so no value passes untransformed.
    for (const key in object) if (!keys.has(key)) delete object[key];
    let voided = false;
    for (const field of fields) {
      const value = object[field.key];
      if (value == null) continue;
      let withheld = false;
      if (field.annotation !== undefined) {
        try {
          object[field.key] = transformTree(value, field.annotation, field.textual, this.pii);
        } catch (error) {
          withheld = true;
          const where = pathOf({ prev: path, key: field.key });
          this.errors.push(
            error instanceof TransformFailure
              ? transformFailed(field.annotation.strategy, error.message, where)
              : new GatewayError(ErrorCode.UPSTREAM_ERROR, 'The upstream returned a value a @pii field cannot carry; it was withheld', { path: where }),
          );
        }
      } else if (field.selections.length > 0) {
        withheld = this.value(value, field.type, field.selections, { prev: path, key: field.key });
      }
      if (withheld) {
        object[field.key] = null;
        if (isNonNullType(field.type)) voided = true;
      }
    }
    return voided;
  }

  /** Walks one value of a field; true when it must become null (see `object`). */
  private value(value: JsonValue, type: GraphQLOutputType, selections: readonly SelectionSetNode[], path: Path): boolean {
    if (value === null) return false;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return this.misshapen(path);
      let voided = false;
      for (let i = 0; i < value.length; i++) {
        if (!this.value(value[i]!, nullable.ofType, selections, { prev: path, key: i })) continue;
        value[i] = null;
        if (isNonNullType(nullable.ofType)) voided = true;
      }
      return voided;
    }
    const concrete = typeof value === 'object' && !Array.isArray(value) ? this.concreteType(value, nullable) : undefined;
    return concrete ? this.object(value as Record<string, JsonValue>, concrete, selections, path) : this.misshapen(path);
  }

  /** The object type of an upstream object, when the schema allows that type where the object stands. */
  private concreteType(value: Record<string, JsonValue>, type: GraphQLNullableType): GraphQLObjectType | undefined {
    if (isObjectType(type)) return type;
    if (!isAbstractType(type)) return undefined;
    const named = this.schema.getType(String(value[TYPENAME_ALIAS] ?? value.__typename));
    return isObjectType(named) && this.schema.isSubType(type, named) ? named : undefined;
  }

  /**
   * A value of a shape its field cannot have (a string for an object, an object for a list, an
   * object of a type that does not belong there): withheld with an error, as graphql-js's
   * execution would, since nothing in it could be matched to an annotation.
   */
  private misshapen(path: Path): true {
    this.errors.push(new GatewayError(ErrorCode.UPSTREAM_ERROR, 'The upstream returned a value of the wrong shape for its field; it was withheld', { path: pathOf(path) }));
    return true;
  }

  private plan(type: GraphQLObjectType, selections: readonly SelectionSetNode[]): ObjectPlan {
    // The rows of a list ask for the same plan one after another: the last one answers them
    // without two Map lookups per row.
    const last = this.lastPlan;
    if (last && last.type === type && last.selections === selections) return last.plan;
    const plan = this.planFor(type, selections);
    this.lastPlan = { type, selections, plan };
    return plan;
  }

  private planFor(type: GraphQLObjectType, selections: readonly SelectionSetNode[]): ObjectPlan {
    let byType = this.plans.get(selections);
    if (!byType) this.plans.set(selections, (byType = new Map()));
    let plan = byType.get(type.name);
    if (plan) return plan;
    const nodesByKey = new Map<string, FieldNode[]>();
    for (const selectionSet of selections) {
      for (const [key, nodes] of collectFields(this.schema, this.fragments, this.request.variables ?? {}, type, selectionSet)) {
        nodesByKey.set(key, [...(nodesByKey.get(key) ?? []), ...nodes]);
      }
    }
    const definitions = type.getFields();
    const fields: FieldPlan[] = [];
    for (const [key, nodes] of nodesByKey) {
      const field = definitions[nodes[0]!.name.value];
      if (!field) continue;
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const annotation = this.annotations.get(`${type.name}.${field.name}`);
      const textual = ['String', 'ID'].includes(getNamedType(field.type).name);
      if (annotation !== undefined || subSelections.length > 0) fields.push({ key, annotation, textual, type: field.type, selections: subSelections });
    }
    plan = { fields, keys: new Set(nodesByKey.keys()) };
    byType.set(type.name, plan);
    return plan;
  }
}

function transformTree(value: JsonValue, annotation: PiiAnnotation, textual: boolean, pii: TransformContext): JsonValue {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => transformTree(item, annotation, textual, pii));
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return revealOrTransform(textual ? String(value) : value, annotation.kind, annotation.maxReveal, annotation.transform, pii);
  }
  throw new Error('not a scalar');
}

function detailsOf(error: GatewayError): Record<string, string> {
  return Object.fromEntries(Object.entries(error.extensions).filter(([key, value]) => key !== 'code' && key !== 'http' && typeof value === 'string')) as Record<string, string>;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  return fragments;
}
