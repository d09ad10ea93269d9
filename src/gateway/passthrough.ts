import type { ExecutionResult, Executor } from '@graphql-tools/utils';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { collectFields } from 'graphql/execution/collectFields.js';
import type { GatewayContext } from '../context.js';
import type { PiiAnnotations } from '../directive/pii-annotation.js';
import { ErrorCode, GatewayError } from '../errors/gateway-error.js';
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

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly upstream: GraphQLSchema,
    private readonly annotations: PiiAnnotations,
    private readonly executor: Executor,
  ) {}

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
    const errors: GraphQLError[] = [...(result.errors ?? [])];
    if (result.data) {
      const root = this.schema.getRootType(request.operation.operation)!;
      this.transformObject(result.data as Record<string, JsonValue>, root, [request.operation.selectionSet], fragmentsOf(request.document), request, [], errors);
    }
    return { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors.length ? { errors } : {}) };
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

  private transformObject(
    object: Record<string, JsonValue>,
    type: GraphQLObjectType,
    selectionSets: readonly SelectionSetNode[],
    fragments: Record<string, FragmentDefinitionNode>,
    request: PassthroughRequest,
    path: (string | number)[],
    errors: GraphQLError[],
  ): void {
    const fieldsByKey = new Map<string, FieldNode[]>();
    for (const selectionSet of selectionSets) {
      for (const [key, nodes] of collectFields(this.schema, fragments, request.variables ?? {}, type, selectionSet)) {
        fieldsByKey.set(key, [...(fieldsByKey.get(key) ?? []), ...nodes]);
      }
    }
    delete object[TYPENAME_ALIAS];
    const fields = type.getFields();
    for (const [key, nodes] of fieldsByKey) {
      const value = object[key];
      const field = fields[nodes[0]!.name.value];
      if (value == null || !field) continue;
      const annotation = this.annotations.get(`${type.name}.${field.name}`);
      if (annotation) {
        try {
          object[key] = tokenizeTree(value, annotation.kind, request.context);
        } catch {
          object[key] = null;
          errors.push(new GatewayError(ErrorCode.UPSTREAM_ERROR, 'The upstream returned a value a @pii field cannot carry; it was withheld', { path: [...path, key] }));
        }
        continue;
      }
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      if (subSelections.length > 0) this.transformComposite(value, field.type, subSelections, fragments, request, [...path, key], errors);
    }
  }

  private transformComposite(
    value: JsonValue,
    type: GraphQLOutputType,
    selectionSets: readonly SelectionSetNode[],
    fragments: Record<string, FragmentDefinitionNode>,
    request: PassthroughRequest,
    path: (string | number)[],
    errors: GraphQLError[],
  ): void {
    if (value === null) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (Array.isArray(value)) value.forEach((item, i) => this.transformComposite(item, nullable.ofType, selectionSets, fragments, request, [...path, i], errors));
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value) || !isCompositeType(nullable)) return;
    const concrete = isAbstractType(nullable) ? this.schema.getType(String(value[TYPENAME_ALIAS] ?? value.__typename)) : nullable;
    if (!concrete || !('getInterfaces' in concrete)) return;
    this.transformObject(value, concrete as GraphQLObjectType, selectionSets, fragments, request, path, errors);
  }
}

function tokenizeTree(value: JsonValue, kind: string, context: GatewayContext): JsonValue {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map((item) => tokenizeTree(item, kind, context));
  if (typeof value === 'string') return context.pii.tokenize(kind, value);
  if (typeof value === 'number' || typeof value === 'boolean') return context.pii.tokenize(kind, String(value));
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
