import type { ExecutionRequest } from '@graphql-tools/utils';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type StringValueNode,
  type ValueNode,
} from 'graphql';
import { badUserInput } from '../errors/gateway-error.js';
import { isJsonObject, type JsonValue } from '../json.js';
import type { TokenFormat } from '../tokens/token-format.js';
import type { Resolved } from '../vault/vault.js';
import type { UpstreamAnnotations } from './annotations-file.js';

export type ResolveTokens = (tokens: readonly string[]) => Promise<(Resolved | undefined)[]>;

/** Where a token sits in the outgoing request, and how to put its original there. */
interface Occurrence {
  token: string;
  kind: string;
  where: string;
  put(original: string): void;
}

/** An argument of the document that may hold a token, with what reading it needs. */
interface ArgumentSite {
  value: ValueNode;
  type: GraphQLInputType;
  /** The argument's own kind; its input fields may have theirs. */
  kind: string | undefined;
  scope: ArgumentScope;
  name: string;
}

/** The field whose arguments are being read: its return type names the fields they mirror. */
interface ArgumentScope {
  field: string;
  returnType: string;
}

/**
 * Tokens given as arguments are swapped for their originals before a request goes upstream,
 * so a client that only ever sees tokens can still query by them.
 *
 * Which positions carry tokens (the rule the README documents):
 *  1. an argument or input field annotated with @pii in the annotations file; otherwise
 *  2. an argument of a field returning type T, or a field of an input object given to such an
 *     argument (at any depth), whose name is that of a @pii field of T: `patient(email:)` and
 *     `allPatients(filter: { email })` both take Patient.email's kind.
 * In such a position, a string that is a token of the position's kind is resolved (all of a
 * request's tokens in one batched lookup); a token that does not resolve, or of another kind,
 * fails the field with BAD_USER_INPUT and nothing is sent upstream. Other strings pass as they are.
 */
export class TokenArguments {
  constructor(
    private readonly upstream: GraphQLSchema,
    private readonly annotations: UpstreamAnnotations,
  ) {}

  /** Per document, the arguments that may hold a token: found once, as a document is sent again and again. */
  private readonly sitesByDocument = new WeakMap<DocumentNode, ArgumentSite[]>();

  async resolve(request: ExecutionRequest, format: TokenFormat, resolveTokens: ResolveTokens): Promise<ExecutionRequest> {
    const sites = this.argumentSites(request.document);
    if (sites.length === 0) return request;
    const occurrences: Occurrence[] = [];
    const replacedLiterals = new Map<StringValueNode, string>();
    const variables: Record<string, unknown> = request.variables ? structuredClone(request.variables) : {};

    const readValue = (node: ValueNode, type: GraphQLInputType, kind: string | undefined, scope: ArgumentScope, where: string): void => {
      if (node.kind === Kind.VARIABLE) {
        const name = node.name.value;
        readJson(variables, name, variables[name] as JsonValue, type, kind, scope, where);
        return;
      }
      const nullable = getNullableType(type);
      if (node.kind === Kind.STRING && kind) {
        const tokenKind = format.kindOf(node.value);
        if (tokenKind) occurrences.push(this.occurrence(node.value, tokenKind, kind, scope, where, (original) => replacedLiterals.set(node, original)));
      } else if (node.kind === Kind.LIST && isListType(nullable)) {
        for (const item of node.values) readValue(item, nullable.ofType, kind, scope, where);
      } else if (node.kind === Kind.OBJECT && isInputObjectType(nullable)) {
        const fields = nullable.getFields();
        for (const field of node.fields) {
          const def = fields[field.name.value];
          if (def) readValue(field.value, def.type, this.inputFieldKind(nullable.name, def.name, scope), scope, `${where}.${def.name}`);
        }
      }
    };

    const readJson = (
      parent: Record<string, unknown> | unknown[],
      key: string | number,
      value: JsonValue | undefined,
      type: GraphQLInputType,
      kind: string | undefined,
      scope: ArgumentScope,
      where: string,
    ): void => {
      const nullable = getNullableType(type);
      if (typeof value === 'string' && kind) {
        const tokenKind = format.kindOf(value);
        if (tokenKind) {
          occurrences.push(this.occurrence(value, tokenKind, kind, scope, where, (original) => ((parent as Record<string | number, unknown>)[key] = original)));
        }
      } else if (Array.isArray(value) && isListType(nullable)) {
        value.forEach((item, i) => readJson(value, i, item, nullable.ofType, kind, scope, where));
      } else if (isJsonObject(value) && isInputObjectType(nullable)) {
        for (const def of Object.values(nullable.getFields())) {
          if (Object.hasOwn(value, def.name)) {
            readJson(value, def.name, value[def.name], def.type, this.inputFieldKind(nullable.name, def.name, scope), scope, `${where}.${def.name}`);
          }
        }
      }
    };

    for (const site of sites) readValue(site.value, site.type, site.kind, site.scope, site.name);

    if (occurrences.length === 0) return request;
    const distinct = [...new Set(occurrences.map((o) => o.token))];
    const resolved = new Map((await resolveTokens(distinct)).map((result, i) => [distinct[i]!, result]));
    for (const occurrence of occurrences) {
      const original = resolved.get(occurrence.token);
      if (!original || original.kind !== occurrence.kind || typeof original.value !== 'string') {
        throw badUserInput(`A token in ${occurrence.where} does not resolve (unknown, expired or another tenant's); nothing was sent upstream`);
      }
      occurrence.put(original.value);
    }
    const document = replacedLiterals.size
      ? visit(request.document, {
          StringValue: (node) => (replacedLiterals.has(node) ? { ...node, value: replacedLiterals.get(node)!, block: false } : undefined),
        })
      : request.document;
    return { ...request, document, variables };
  }

  /**
   * The document's arguments in a token-carrying position, or whose input object type has fields
   * that may be (their values, literal or variable, are read per request), in document order.
   */
  private argumentSites(document: DocumentNode): ArgumentSite[] {
    let sites = this.sitesByDocument.get(document);
    if (sites) return sites;
    const found: ArgumentSite[] = [];
    const typeInfo = new TypeInfo(this.upstream);
    const scopes: ArgumentScope[] = [];
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field: {
          enter: () => {
            const field = typeInfo.getFieldDef();
            scopes.push({ field: field?.name ?? '', returnType: field ? getNamedType(field.type).name : '' });
          },
          leave: () => {
            scopes.pop();
          },
        },
        Argument: (node) => {
          const argument = typeInfo.getArgument();
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          const scope = scopes.at(-1);
          if (!argument || !parent || !field || !scope) return;
          const kind =
            this.annotations.argumentKinds.get(`${parent.name}.${field.name}(${argument.name})`) ??
            this.annotations.fields.get(`${scope.returnType}.${argument.name}`)?.kind;
          if (kind !== undefined || isInputObjectType(getNamedType(argument.type))) {
            found.push({ value: node.value, type: argument.type, kind, scope, name: argument.name });
          }
        },
      }),
    );
    this.sitesByDocument.set(document, (sites = found));
    return sites;
  }

  private inputFieldKind(inputType: string, field: string, scope: ArgumentScope): string | undefined {
    return this.annotations.inputFieldKinds.get(`${inputType}.${field}`) ?? this.annotations.fields.get(`${scope.returnType}.${field}`)?.kind;
  }

  private occurrence(token: string, tokenKind: string, kind: string, scope: ArgumentScope, argumentPath: string, put: (original: string) => void): Occurrence {
    const where = `argument ${argumentPath} of ${scope.field}`;
    if (tokenKind !== kind) {
      throw badUserInput(`${where} takes tokens of kind ${kind}, not ${tokenKind}; nothing was sent upstream`);
    }
    return { token, kind, where, put };
  }
}
