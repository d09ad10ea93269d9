import { readFile } from 'node:fs/promises';
import { mergeSchemas } from '@graphql-tools/schema';
import { schemaFromExecutor, wrapSchema } from '@graphql-tools/wrap';
import { buildSchema, parse, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { UpstreamConfig } from '../config.js';
import { untilAnswered } from '../startup-wait.js';
import { AnnotationError, collectPiiAnnotations } from '../directive/pii-annotation.js';
import { applyPiiAnnotations } from '../directive/pii-directive.js';
import { ErrorCode } from '../errors/gateway-error.js';
import type { ExecutionResult, IResolvers } from '@graphql-tools/utils';
import { mergeAnnotations, readAnnotationsFile, type UpstreamAnnotations } from './annotations-file.js';
import { Passthrough } from './passthrough.js';
import { TokenArguments } from './token-arguments.js';
import { createUpstreamExecutor } from './upstream-executor.js';

export class UpstreamSchemaError extends Error {
  override name = 'UpstreamSchemaError';
}

export interface GatewaySchema {
  schema: GraphQLSchema;
  annotations: UpstreamAnnotations;
  /** The fast path for operations that only touch the upstream. */
  passthrough: Passthrough;
  /** Resolves when the upstream answers a `{ __typename }` query; for the readiness check. */
  pingUpstream(): Promise<void>;
}

/**
 * The gateway's schema in front of a real upstream: the upstream's schema (introspected, or
 * from UPSTREAM_SDL), proxied field by field over HTTP, merged with the gateway's own API, with
 * @pii applied from the annotations file and from the upstream's SDL.
 */
export async function buildGatewaySchema(
  config: UpstreamConfig,
  service: { typeDefs: string[]; resolvers: IResolvers[] },
  piiDirectiveSdl: string,
  /** Called once when the upstream cannot be reached at first and startup waits for it. */
  onWaiting?: (reason: string) => void,
): Promise<GatewaySchema> {
  const upstream = await loadUpstreamSchema(config, piiDirectiveSdl, onWaiting);
  for (const name of ['anonymize', 'deanonymize']) {
    if (upstream.getMutationType()?.getFields()[name]) {
      throw new UpstreamSchemaError(`the upstream already has Mutation.${name}, which the gateway serves itself`);
    }
  }
  const annotations = await loadAnnotations(config, upstream);
  const executor = createUpstreamExecutor(config, new TokenArguments(upstream, annotations));
  const merged = mergeSchemas({
    schemas: [wrapSchema({ schema: upstream, executor })],
    typeDefs: service.typeDefs,
    resolvers: service.resolvers,
  });
  const schema = applyPiiAnnotations(merged, annotations.fields);
  const probe = createUpstreamExecutor(config);
  const typenameQuery = parse('{ __typename }');
  return {
    schema,
    annotations,
    passthrough: new Passthrough(schema, upstream, annotations.fields, executor),
    async pingUpstream() {
      const result = (await probe({ document: typenameQuery })) as ExecutionResult;
      if (!result.data?.__typename) throw new UpstreamSchemaError('the upstream did not answer { __typename }');
    },
  };
}

async function loadUpstreamSchema(config: UpstreamConfig, piiDirectiveSdl: string, onWaiting?: (reason: string) => void): Promise<GraphQLSchema> {
  if (config.sdlFile) {
    let sdl: string;
    try {
      sdl = await readFile(config.sdlFile, 'utf8');
    } catch {
      throw new UpstreamSchemaError(`UPSTREAM_SDL: cannot read ${config.sdlFile}`);
    }
    // An upstream SDL may use @pii without declaring it; the gateway's declaration then applies.
    const declares = /\bdirective\s+@pii\b/.test(sdl);
    try {
      return buildSchema(declares ? sdl : `${piiDirectiveSdl}\n${sdl}`);
    } catch (error) {
      throw new UpstreamSchemaError(`UPSTREAM_SDL ${config.sdlFile}: ${(error as Error).message}`);
    }
  }
  const executor = createUpstreamExecutor(config);
  try {
    return await untilAnswered(async () => schemaFromExecutor(executor), {
      waitMs: config.startupWaitMs ?? 0,
      unreachable,
      onWaiting: (error) => onWaiting?.((error as Error).message),
    });
  } catch (error) {
    if (!unreachable(error)) {
      throw new UpstreamSchemaError(`the upstream at ${config.url} answered the introspection query with an error (${(error as Error).message}); if its introspection is off, set UPSTREAM_SDL to its SDL file`);
    }
    const waited = config.startupWaitMs ? ` within ${config.startupWaitMs / 1000} s (UPSTREAM_STARTUP_WAIT)` : '';
    throw new UpstreamSchemaError(`could not reach the upstream at ${config.url}${waited} (${(error as Error).message}): is it running, and is UPSTREAM_URL right?`);
  }
}

/** An introspection that failed for want of an answer (refused, unresolvable, timed out), not by one. */
function unreachable(error: unknown): boolean {
  const errors = error instanceof AggregateError ? error.errors : [error];
  return errors.every((one) => (one as GraphQLError).extensions?.code === ErrorCode.UPSTREAM_UNAVAILABLE);
}

async function loadAnnotations(config: UpstreamConfig, upstream: GraphQLSchema): Promise<UpstreamAnnotations> {
  let annotations: UpstreamAnnotations = { fields: new Map(), argumentKinds: new Map(), inputFieldKinds: new Map() };
  if (config.annotationsFile) {
    let sdl: string | undefined;
    try {
      sdl = await readFile(config.annotationsFile, 'utf8');
    } catch {
      if (config.annotationsFileRequired) throw new AnnotationError(`PII_ANNOTATIONS: cannot read ${config.annotationsFile}`);
    }
    if (sdl !== undefined) annotations = readAnnotationsFile(sdl, config.annotationsFile, upstream);
  }
  if (config.sdlFile) mergeAnnotations(annotations, collectPiiAnnotations(upstream), 'UPSTREAM_SDL');
  return annotations;
}
