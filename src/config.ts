import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DEFAULT_JSON_LIMITS, HARD_MAX_DEPTH, type JsonLimits } from './payload/payload-limits.js';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './plugins/query-limits.js';
import { DEFAULT_STORE_CONCURRENCY } from './store/batch-limits.js';
import { DEFAULT_OFFLOAD_BYTES } from './detect/detection-pool.js';
import type { DetectLists } from './detect/detect.js';
import { isValidKind } from './tokens/token-format.js';
import { TENANT_NAME } from './auth/identity.js';
import { checkCustomRecognizers, type CustomRecognizerSpec } from './detect/recognizers/custom-pattern.js';
import { parseDuration, parseDurationMap, RetentionPolicy } from './retention/retention-policy.js';
import { DEFAULT_CIRCUIT_BREAKER, type CircuitBreakerOptions } from './store/circuit-breaking-store.js';
import { DEFAULT_STORE_DEADLINE_MS } from './store/dynamo-token-store.js';
import { DEFAULT_TENANT_KEY_CACHE_MAX_AGE_SECONDS } from './vault/tenant-secrets.js';

/** Everything the gateway reads from its environment, parsed and checked in one place. */
export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** Where development state lives: the embedded store's files and the generated master key. */
  dataDir: string;
  /** Base64 of 32 bytes; undefined means "generate one in dataDir" (development only). */
  masterKey: string | undefined;
  /** PII_MASTER_KEYS: the key ring, `id:base64` entries oldest first (parsed by tokens/master-key-ring). */
  masterKeys: string | undefined;
  store: StoreConfig;
  /** How store calls are bounded and a failing store is cut off. */
  storeResilience: StoreResilience;
  tokenPrefix: string;
  /** How many (tenant, kind, value) -> token entries known to be stored are kept in memory. */
  tokenCacheSize: number;
  /** Seconds an entry may stay in that cache at most (TOKEN_CACHE_MAX_AGE, default 1 h); undefined: no limit (`never`). */
  tokenCacheMaxAge?: number | undefined;
  /**
   * Seconds an instance keeps a tenant's key record (TENANT_KEY_CACHE_MAX_AGE, default 60 s): how
   * long other instances can still read a shredded tenant, and how long shredding waits before
   * deleting its items.
   */
  tenantKeyCacheMaxAge: number;
  /** PII_POLICY_FILE: named anonymize policies (YAML or JSON), read and checked at startup. */
  policyFile: string | undefined;
  /** Most payloads one anonymizeBatch / deanonymizeBatch call takes (MAX_BATCH_ITEMS). */
  maxBatchItems: number;
  /** Free-text detection off the event loop: threads, and the text size from which they are used. */
  detection: { threads: number; offloadBytes: number };
  /** Values detection never replaces, and values it always replaces (DETECT_ALLOW, DETECT_DENY). */
  detectLists: DetectLists;
  /** How long mappings are kept (TOKEN_TTL, TOKEN_TTL_BY_KIND, TOKEN_TTL_BY_TENANT). */
  retention: RetentionPolicy;
  devTenant: string;
  logLevel: string;
  maxBodyBytes: number;
  /** Limits on JSON arguments (payloads, mappings). */
  jsonLimits: JsonLimits;
  /** Limits on GraphQL documents: depth, aliases, directives, tokens, cost. */
  queryLimits: QueryLimits;
  /** How long SIGTERM waits for in-flight requests before cutting connections. */
  shutdownTimeoutMs: number;
  /** How long an idle client connection stays open; above a load balancer's own idle timeout. */
  keepAliveTimeoutMs: number;
  /** Schema introspection; off in production unless INTROSPECTION=on. */
  introspection: boolean;
  /** GraphiQL for browsers at / and /graphql; off in production unless GRAPHIQL=on. */
  graphiql: boolean;
  /** Prometheus metrics at GET /metrics (METRICS=off to hide them). */
  metrics: boolean;
  /** Browser origins allowed to call /graphql from other pages (CORS_ORIGINS); none by default. */
  corsOrigins: string[] | '*';
  /** The upstream GraphQL API to proxy; undefined serves the built-in demo upstream. */
  upstream: UpstreamConfig | undefined;
  auth: AuthConfig;
}

/**
 * How callers are identified. `jwt`: bearer JWTs verified against configured keys.
 * `development` (no auth configured, not production): requests without a token are the
 * development tenant with every scope; tokens from `npm run token` are verified for real.
 */
export type AuthConfig =
  | {
      kind: 'jwt';
      jwksUrl: string | undefined;
      jwksFile: string | undefined;
      /** HS256 shared secret; only when explicitly configured. */
      sharedSecret: string | undefined;
      issuer: string | undefined;
      audience: string | undefined;
      algorithms: string[];
      clockToleranceSeconds: number;
      claims: AuthClaims;
    }
  | { kind: 'development'; claims: AuthClaims };

export interface AuthClaims {
  tenant: string;
  subject: string;
  scope: string;
}

export interface UpstreamConfig {
  url: string;
  /** SDL of the upstream, for upstreams with introspection off; otherwise introspected. */
  sdlFile: string | undefined;
  /** Sent with every upstream request. */
  headers: Record<string, string>;
  /** Incoming request headers passed on to the upstream, lowercase. */
  forwardHeaders: string[];
  timeoutMs: number;
  /** The local SDL file of @pii annotations on upstream types; undefined for none. */
  annotationsFile: string | undefined;
  /** False for the default path, which may be absent; true when PII_ANNOTATIONS names it. */
  annotationsFileRequired: boolean;
  /** `pass` shows upstream error messages to clients; `hide` (default) replaces them. */
  errorMessages: 'hide' | 'pass';
  /**
   * How long startup waits for an upstream that cannot be reached yet, to introspect it
   * (UPSTREAM_STARTUP_WAIT, 30 s): services started together come up in any order. 0 or absent: no wait.
   */
  startupWaitMs?: number;
}

export interface StoreResilience {
  /** One store call of a request (its flush, its reads), retries included. */
  deadlineMs: number;
  /** Batch calls of one turn's writes (or reads) in flight at once; the rest wait, their deadline not started. */
  concurrency: number;
  breaker: CircuitBreakerOptions;
}

export type StoreConfig =
  | { kind: 'embedded'; table: string; region: string; timeoutMs: number }
  | {
      kind: 'dynamodb';
      table: string;
      region: string;
      endpoint: string | undefined;
      createTable: boolean;
      /**
       * How long startup waits for a store it cannot reach yet, when it creates the table
       * (STORE_STARTUP_WAIT, 30 s): DynamoDB Local started beside the gateway comes up in its
       * own time. 0: no wait.
       */
      startupWaitMs: number;
      timeoutMs: number;
      /** The request path's DynamoDB client runs in a thread of its own (STORE_CLIENT_THREAD). */
      clientThread: boolean;
    };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const masterKey = nonEmpty(env.PII_MASTER_KEY);
  const masterKeys = nonEmpty(env.PII_MASTER_KEYS);
  if (masterKey && masterKeys) {
    throw new ConfigError('set PII_MASTER_KEY or PII_MASTER_KEYS, not both (a single key is the first entry of the ring)');
  }
  if (production && !masterKey && !masterKeys) {
    throw new ConfigError('PII_MASTER_KEY is required when NODE_ENV=production (base64 of 32 random bytes), or PII_MASTER_KEYS for a key ring');
  }
  const endpoint = nonEmpty(env.DYNAMODB_ENDPOINT);
  const storeKind = oneOf(env, 'TOKEN_STORE', ['embedded', 'dynamodb'], endpoint || production ? 'dynamodb' : 'embedded');
  if (production && storeKind === 'embedded') {
    throw new ConfigError('TOKEN_STORE=embedded is for development; set TOKEN_STORE=dynamodb when NODE_ENV=production');
  }
  const table = matching(env, 'TOKEN_TABLE', /^[A-Za-z0-9_.-]{3,255}$/, 'pii_tokens');
  const region = nonEmpty(env.AWS_REGION) ?? 'us-east-1';
  const timeoutMs = integer(env, 'STORE_TIMEOUT_MS', 3000, 1);
  const createTable = bool(env, 'TOKEN_TABLE_CREATE', !production);
  const store: StoreConfig =
    storeKind === 'embedded'
      ? { kind: 'embedded', table, region, timeoutMs }
      : {
          kind: 'dynamodb',
          table,
          region,
          endpoint,
          createTable,
          startupWaitMs: parsed(env, 'STORE_STARTUP_WAIT', boundedDurationOrZero, 30) * 1000,
          timeoutMs,
          clientThread: bool(env, 'STORE_CLIENT_THREAD', false),
        };

  return {
    production,
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    port: integer(env, 'PORT', 4000, 0, 65535),
    dataDir: path.resolve(nonEmpty(env.DATA_DIR) ?? '.data'),
    masterKey,
    masterKeys,
    store,
    tokenPrefix: matching(env, 'TOKEN_PREFIX', /^[a-z][a-z0-9]{0,15}$/, 'tok'),
    tokenCacheSize: integer(env, 'TOKEN_CACHE_SIZE', 100_000, 0),
    // An hour by default: how long another instance's erasure can go unnoticed here at most.
    tokenCacheMaxAge: parsed(env, 'TOKEN_CACHE_MAX_AGE', parseDuration, 3600),
    maxBatchItems: integer(env, 'MAX_BATCH_ITEMS', 1000, 1, 100_000),
    tenantKeyCacheMaxAge: parsed(env, 'TENANT_KEY_CACHE_MAX_AGE', boundedDuration, DEFAULT_TENANT_KEY_CACHE_MAX_AGE_SECONDS),
    policyFile: nonEmpty(env.PII_POLICY_FILE),
    retention: loadRetention(env),
    detectLists: loadDetectLists(env),
    detection: {
      threads: integer(env, 'DETECT_THREADS', Math.max(1, availableParallelism() - 1), 1, 64),
      offloadBytes: integer(env, 'DETECT_OFFLOAD_BYTES', DEFAULT_OFFLOAD_BYTES, 0),
    },
    devTenant: matching(env, 'DEV_TENANT', TENANT_NAME, 'dev'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 5 * 1024 * 1024, 1024),
    jsonLimits: {
      maxDepth: integer(env, 'MAX_JSON_DEPTH', DEFAULT_JSON_LIMITS.maxDepth, 1, HARD_MAX_DEPTH),
      maxNodes: integer(env, 'MAX_JSON_VALUES', DEFAULT_JSON_LIMITS.maxNodes, 1),
      maxStringBytes: integer(env, 'MAX_JSON_STRING_BYTES', DEFAULT_JSON_LIMITS.maxStringBytes, 1),
    },
    storeResilience: {
      deadlineMs: integer(env, 'STORE_DEADLINE_MS', DEFAULT_STORE_DEADLINE_MS, 1),
      concurrency: integer(env, 'STORE_CONCURRENCY', DEFAULT_STORE_CONCURRENCY, 1),
      breaker: {
        failures: integer(env, 'STORE_BREAKER_FAILURES', DEFAULT_CIRCUIT_BREAKER.failures, 1),
        cooldownMs: integer(env, 'STORE_BREAKER_COOLDOWN_MS', DEFAULT_CIRCUIT_BREAKER.cooldownMs, 1),
      },
    },
    queryLimits: {
      maxDepth: integer(env, 'MAX_QUERY_DEPTH', DEFAULT_QUERY_LIMITS.maxDepth, 1),
      maxAliases: integer(env, 'MAX_QUERY_ALIASES', DEFAULT_QUERY_LIMITS.maxAliases, 0),
      maxDirectives: integer(env, 'MAX_QUERY_DIRECTIVES', DEFAULT_QUERY_LIMITS.maxDirectives, 0),
      maxTokens: integer(env, 'MAX_QUERY_TOKENS', DEFAULT_QUERY_LIMITS.maxTokens, 10),
      maxCost: integer(env, 'MAX_QUERY_COST', DEFAULT_QUERY_LIMITS.maxCost, 1),
    },
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0),
    // Node's 5 s is shorter than the idle timeout of the load balancers in front (AWS ALB: 60 s):
    // the gateway would close connections they are about to reuse, and clients get 502s.
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1000),
    introspection: bool(env, 'INTROSPECTION', !production),
    graphiql: bool(env, 'GRAPHIQL', !production),
    metrics: bool(env, 'METRICS', true),
    corsOrigins: corsOrigins(env),
    upstream: loadUpstream(env),
    auth: loadAuth(env, production),
  };
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** DETECT_ALLOW: a JSON array of strings; DETECT_DENY: a JSON array of { "value", "kind" }. */
function loadDetectLists(env: Env): DetectLists {
  const json = (name: string): unknown => {
    const text = nonEmpty(env[name]);
    if (text === undefined) return [];
    try {
      return JSON.parse(text);
    } catch {
      throw new ConfigError(`${name} is not valid JSON`);
    }
  };
  const allow = json('DETECT_ALLOW');
  if (!Array.isArray(allow) || !allow.every((v) => typeof v === 'string')) throw new ConfigError('DETECT_ALLOW must be a JSON array of strings');
  const deny = json('DETECT_DENY');
  const validDeny = Array.isArray(deny) && deny.every((d) => typeof d?.value === 'string' && typeof d?.kind === 'string' && isValidKind(d.kind));
  if (!validDeny) throw new ConfigError('DETECT_DENY must be a JSON array of { "value": string, "kind": kind }, kinds in lowercase letters, digits and underscores');
  const recognizers = json('DETECT_RECOGNIZERS');
  const validShape = Array.isArray(recognizers) && recognizers.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r));
  if (!validShape) throw new ConfigError('DETECT_RECOGNIZERS must be a JSON array of { "name", "kind", "pattern", "ignoreCase"?, "score"? }');
  const specs = (recognizers as Record<string, unknown>[]).map(({ name, kind, pattern, ignoreCase, score }) => ({ name, kind, pattern, ignoreCase, score }) as CustomRecognizerSpec);
  try {
    checkCustomRecognizers(specs, 'DETECT_RECOGNIZERS', { withName: true });
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return { allow: allow as string[], deny: (deny as { value: string; kind: string }[]).map(({ value, kind }) => ({ value, kind })), recognizers: specs };
}

/** A duration that must end: `never` would keep a shredded tenant readable on other instances for good. */
function boundedDuration(text: string): number {
  const seconds = text === 'never' ? undefined : durationOrUndefined(text);
  if (seconds === undefined) throw new Error('must be a duration such as 60s or 5m, not "never"');
  return seconds;
}

function durationOrUndefined(text: string): number | undefined {
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}

function boundedDurationOrZero(text: string): number {
  const seconds = text.trim() === '0' ? 0 : durationOrUndefined(text);
  if (seconds === undefined) throw new Error('must be 0 or a duration such as 30s or 2m');
  return seconds;
}

/** A setting parsed by `parse`, whose complaint is prefixed with the setting's name. */
function parsed<T>(env: Env, name: string, parse: (text: string) => T, fallback: T): T {
  const text = nonEmpty(env[name]);
  if (text === undefined) return fallback;
  try {
    return parse(text);
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message}`);
  }
}

function loadRetention(env: Env): RetentionPolicy {
  return new RetentionPolicy(
    parsed(env, 'TOKEN_TTL', parseDuration, undefined),
    parsed(env, 'TOKEN_TTL_BY_KIND', (text) => parseDurationMap(text, isValidKind), new Map()),
    parsed(env, 'TOKEN_TTL_BY_TENANT', (text) => parseDurationMap(text, (name) => TENANT_NAME.test(name)), new Map()),
  );
}

function loadAuth(env: Env, production: boolean): AuthConfig {
  const claims: AuthClaims = {
    tenant: nonEmpty(env.AUTH_TENANT_CLAIM) ?? 'tenant',
    subject: nonEmpty(env.AUTH_SUBJECT_CLAIM) ?? 'sub',
    scope: nonEmpty(env.AUTH_SCOPE_CLAIM) ?? 'scope',
  };
  const jwksUrl = nonEmpty(env.AUTH_JWKS_URL);
  const jwksFile = nonEmpty(env.AUTH_JWKS_FILE);
  const sharedSecret = nonEmpty(env.AUTH_HS256_SECRET);
  if (!jwksUrl && !jwksFile && !sharedSecret) {
    if (production) throw new ConfigError('authentication is required when NODE_ENV=production: set AUTH_JWKS_URL, AUTH_JWKS_FILE or AUTH_HS256_SECRET');
    return { kind: 'development', claims };
  }
  if (jwksUrl && (!URL.canParse(jwksUrl) || !/^https?:$/.test(new URL(jwksUrl).protocol))) throw new ConfigError('AUTH_JWKS_URL must be an http(s) URL');
  if (sharedSecret && Buffer.byteLength(sharedSecret) < 32) throw new ConfigError('AUTH_HS256_SECRET must be at least 32 bytes');
  const requested = nonEmpty(env.AUTH_ALGORITHMS)?.split(',').map((a) => a.trim()).filter(Boolean);
  const allowed = [...ASYMMETRIC_ALGORITHMS, ...(sharedSecret ? ['HS256'] : [])];
  const algorithms = requested ?? (sharedSecret && !jwksUrl && !jwksFile ? ['HS256'] : ASYMMETRIC_ALGORITHMS);
  for (const algorithm of algorithms) {
    if (!allowed.includes(algorithm)) {
      throw new ConfigError(`AUTH_ALGORITHMS: ${algorithm === 'none' ? '"none" is never accepted' : `allowed are ${allowed.join(', ')} (HS256 only with AUTH_HS256_SECRET)`}`);
    }
  }
  return {
    kind: 'jwt',
    jwksUrl,
    jwksFile: jwksFile && path.resolve(jwksFile),
    sharedSecret,
    issuer: nonEmpty(env.AUTH_ISSUER),
    audience: nonEmpty(env.AUTH_AUDIENCE),
    algorithms,
    clockToleranceSeconds: integer(env, 'AUTH_CLOCK_TOLERANCE_SECONDS', 30, 0, 600),
    claims,
  };
}

/** Where the annotations file is looked for when PII_ANNOTATIONS is not set. */
export const DEFAULT_ANNOTATIONS_FILE = 'schema/annotations.graphql';

function loadUpstream(env: Env): UpstreamConfig | undefined {
  const url = nonEmpty(env.UPSTREAM_URL);
  if (!url) return undefined;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new ConfigError('UPSTREAM_URL must be an http(s) URL');
  const sdlFile = nonEmpty(env.UPSTREAM_SDL);
  const annotations = nonEmpty(env.PII_ANNOTATIONS);
  return {
    url,
    sdlFile: sdlFile && path.resolve(sdlFile),
    headers: headerObject(env, 'UPSTREAM_HEADERS'),
    forwardHeaders: (nonEmpty(env.UPSTREAM_FORWARD_HEADERS) ?? 'authorization')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
    timeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 5000, 1),
    annotationsFile: annotations === 'none' ? undefined : path.resolve(annotations ?? DEFAULT_ANNOTATIONS_FILE),
    annotationsFileRequired: annotations !== undefined && annotations !== 'none',
    errorMessages: oneOf(env, 'UPSTREAM_ERROR_MESSAGES', ['hide', 'pass'], 'hide'),
    startupWaitMs: parsed(env, 'UPSTREAM_STARTUP_WAIT', boundedDurationOrZero, 30) * 1000,
  };
}

/** CORS_ORIGINS: `*`, or origins separated by commas, each exactly as a browser sends it (scheme, host, port; no path). */
function corsOrigins(env: Env): string[] | '*' {
  const raw = nonEmpty(env.CORS_ORIGINS);
  if (raw === undefined) return [];
  if (raw.trim() === '*') return '*';
  return raw.split(',').map((entry, index) => {
    const origin = entry.trim();
    if (!URL.canParse(origin) || !/^https?:$/.test(new URL(origin).protocol) || new URL(origin).origin !== origin) {
      throw new ConfigError(`CORS_ORIGINS entry ${index + 1} is not an origin such as https://app.example.com (scheme, host and port only, no path or trailing slash)`);
    }
    return origin;
  });
}

function headerObject(env: Env, name: string): Record<string, string> {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // The value may hold credentials: never quoted.
    throw new ConfigError(`${name} must be a JSON object of header names to strings`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'string')) {
    throw new ConfigError(`${name} must be a JSON object of header names to strings`);
  }
  return parsed as Record<string, string>;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function integer(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of: ${allowed.join(', ')}`);
  }
  return raw as T;
}

function matching(env: Env, name: string, pattern: RegExp, fallback: string): string {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!pattern.test(raw)) throw new ConfigError(`${name} must match ${pattern.source}`);
  return raw;
}
