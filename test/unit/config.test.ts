import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const key = Buffer.alloc(32, 1).toString('base64');

describe('configuration', () => {
  it('defaults to the embedded store and a generated key in development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ production: false, port: 4000, host: '127.0.0.1', masterKey: undefined, tokenPrefix: 'tok', devTenant: 'dev' });
    expect(config.store).toEqual({ kind: 'embedded', table: 'pii_tokens', region: 'us-east-1', timeoutMs: 3000 });
  });

  it('reads CORS_ORIGINS: none by default, a list of exact origins, or *', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://app.example.com/path', 'ftp://files.example.com']) {
      expect(() => loadConfig({ CORS_ORIGINS: `http://ok.example.com,${bad}` })).toThrow(/^CORS_ORIGINS entry 2 is not an origin such as https:\/\/app\.example\.com/);
    }
  });

  it('keeps idle client connections 65 s by default, longer than a load balancer keeps them', () => {
    expect(loadConfig({}).keepAliveTimeoutMs).toBe(65_000);
    expect(loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' }).keepAliveTimeoutMs).toBe(120_000);
    // 0 would mean no timeout at all in Node: idle connections kept for ever.
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '0' })).toThrow(ConfigError);
  });

  it('reads the query limits, with roomy defaults', () => {
    expect(loadConfig({}).queryLimits).toEqual({ maxDepth: 12, maxAliases: 30, maxDirectives: 50, maxTokens: 10_000, maxCost: 50_000 });
    expect(loadConfig({ MAX_QUERY_DEPTH: '4', MAX_QUERY_ALIASES: '0', MAX_QUERY_COST: '900' }).queryLimits).toMatchObject({ maxDepth: 4, maxAliases: 0, maxCost: 900 });
    expect(() => loadConfig({ MAX_QUERY_DEPTH: '0' })).toThrow(ConfigError);
  });

  it('reads the configured allow and deny lists of detection, refusing bad ones without quoting them', () => {
    expect(loadConfig({}).detectLists).toEqual({ allow: [], deny: [], recognizers: [] });
    expect(loadConfig({ DETECT_RECOGNIZERS: '[{"name":"tickets","kind":"ticket","pattern":"TCK-[0-9]{6}"}]' }).detectLists.recognizers).toEqual([
      { name: 'tickets', kind: 'ticket', pattern: 'TCK-[0-9]{6}' },
    ]);
    expect(() => loadConfig({ DETECT_RECOGNIZERS: '[{"name":"names","kind":"person","pattern":"Jane(?=Smith)"}]' })).toThrow(
      /^DETECT_RECOGNIZERS\[0\] \("names"\): pattern is not a valid RE2/,
    );
    expect(() => loadConfig({ DETECT_RECOGNIZERS: '[{"name":"names","kind":"person","pattern":"Jane(?=Smith)"}]' })).not.toThrow(/Jane/);
    expect(() => loadConfig({ DETECT_RECOGNIZERS: '{"name":"x"}' })).toThrow(/^DETECT_RECOGNIZERS must be a JSON array/);
    expect(loadConfig({ DETECT_ALLOW: '["Acme Corp"]', DETECT_DENY: '[{"value":"Nightjar","kind":"codename"}]' }).detectLists).toEqual({
      allow: ['Acme Corp'],
      deny: [{ value: 'Nightjar', kind: 'codename' }],
      recognizers: [],
    });
    expect(() => loadConfig({ DETECT_ALLOW: '["Secret Person"' })).toThrow(/^DETECT_ALLOW is not valid JSON$/);
    expect(() => loadConfig({ DETECT_DENY: '[{"value":"Secret Person","kind":"Code Name"}]' })).toThrow(/^DETECT_DENY must be/);
    expect(() => loadConfig({ DETECT_DENY: '[{"value":"Secret Person","kind":"Code Name"}]' })).not.toThrow(/Secret/);
    // A kind ending in `_` would make tokens (`tok_code__…`) that no longer parse.
    expect(() => loadConfig({ DETECT_DENY: '[{"value":"x","kind":"code_"}]' })).toThrow(/^DETECT_DENY must be/);
    expect(() => loadConfig({ TOKEN_TTL_BY_KIND: 'email_=30d' })).toThrow(/^TOKEN_TTL_BY_KIND: entries are name=duration/);
    expect(loadConfig({}).tokenCacheMaxAge).toBe(3600);
    expect(loadConfig({ TOKEN_CACHE_MAX_AGE: 'never' }).tokenCacheMaxAge).toBeUndefined();
    expect(loadConfig({ TOKEN_CACHE_MAX_AGE: '10m' }).tokenCacheMaxAge).toBe(600);
    expect(() => loadConfig({ TOKEN_CACHE_MAX_AGE: '10 minutes' })).toThrow(/^TOKEN_CACHE_MAX_AGE: a duration is/);
    expect(loadConfig({}).tenantKeyCacheMaxAge).toBe(60);
    expect(loadConfig({ TENANT_KEY_CACHE_MAX_AGE: '5m' }).tenantKeyCacheMaxAge).toBe(300);
    // A shredded tenant must stop being readable everywhere at some point.
    expect(() => loadConfig({ TENANT_KEY_CACHE_MAX_AGE: 'never' })).toThrow(/^TENANT_KEY_CACHE_MAX_AGE: must be a duration/);
    // Not a duration at all: the message is this setting's own, which does not offer "never".
    expect(() => loadConfig({ TENANT_KEY_CACHE_MAX_AGE: 'soon' })).toThrow(/^TENANT_KEY_CACHE_MAX_AGE: must be a duration such as 60s or 5m, not "never"$/);
  });

  it('uses DynamoDB when an endpoint is given', () => {
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', TOKEN_TABLE: 'tokens', AWS_REGION: 'eu-west-1' }).store).toEqual({
      kind: 'dynamodb',
      endpoint: 'http://localhost:8000',
      table: 'tokens',
      region: 'eu-west-1',
      createTable: true,
      startupWaitMs: 30_000,
      timeoutMs: 3000,
      clientThread: false,
    });
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', STORE_CLIENT_THREAD: 'on' }).store).toMatchObject({ clientThread: true });
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', STORE_STARTUP_WAIT: '0' }).store).toMatchObject({ startupWaitMs: 0 });
    expect(loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', STORE_STARTUP_WAIT: '2m' }).store).toMatchObject({ startupWaitMs: 120_000 });
    expect(() => loadConfig({ DYNAMODB_ENDPOINT: 'http://localhost:8000', STORE_STARTUP_WAIT: 'later' })).toThrow(/^STORE_STARTUP_WAIT: must be 0 or a duration such as 30s or 2m$/);
  });

  it('reads the authentication settings; development mode when none are given', () => {
    expect(loadConfig({}).auth).toEqual({ kind: 'development', claims: { tenant: 'tenant', subject: 'sub', scope: 'scope' } });
    expect(loadConfig({ AUTH_JWKS_URL: 'https://id.example.com/jwks.json', AUTH_ISSUER: 'https://id.example.com/', AUTH_TENANT_CLAIM: 'org' }).auth).toMatchObject({
      kind: 'jwt',
      jwksUrl: 'https://id.example.com/jwks.json',
      issuer: 'https://id.example.com/',
      algorithms: expect.not.arrayContaining(['HS256', 'none']),
      clockToleranceSeconds: 30,
      claims: { tenant: 'org', subject: 'sub', scope: 'scope' },
    });
    expect(loadConfig({ AUTH_HS256_SECRET: 's'.repeat(32) }).auth).toMatchObject({ kind: 'jwt', algorithms: ['HS256'] });
  });

  it.each([
    [{ AUTH_JWKS_FILE: 'k.json', AUTH_ALGORITHMS: 'none' }, /"none" is never accepted/],
    [{ AUTH_JWKS_FILE: 'k.json', AUTH_ALGORITHMS: 'HS256' }, /HS256 only with AUTH_HS256_SECRET/],
    [{ AUTH_HS256_SECRET: 'short-secret' }, /at least 32 bytes/],
    [{ AUTH_JWKS_URL: 'file:///etc/keys' }, /AUTH_JWKS_URL must be an http\(s\) URL/],
  ])('refuses the authentication settings %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('requires a master key and a real store in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PII_MASTER_KEY is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', PII_MASTER_KEYS: `a:${key}` })).not.toThrow(/PII_MASTER_KEY/);
    expect(() => loadConfig({ PII_MASTER_KEY: key, PII_MASTER_KEYS: `a:${key}` })).toThrow(/^set PII_MASTER_KEY or PII_MASTER_KEYS, not both/);
    expect(() => loadConfig({ NODE_ENV: 'production', PII_MASTER_KEY: key, TOKEN_STORE: 'embedded' })).toThrow(/TOKEN_STORE=embedded is for development/);
    expect(() => loadConfig({ NODE_ENV: 'production', PII_MASTER_KEY: key })).toThrow(/authentication is required when NODE_ENV=production/);
    const production = { NODE_ENV: 'production', PII_MASTER_KEY: key, AUTH_JWKS_URL: 'https://id.example.com/jwks.json' };
    expect(loadConfig(production).store).toMatchObject({ kind: 'dynamodb', endpoint: undefined, createTable: false });
  });

  it('reads the upstream settings', () => {
    const config = loadConfig({
      UPSTREAM_URL: 'http://upstream.internal:4000/graphql',
      UPSTREAM_HEADERS: '{"x-api-key":"k"}',
      UPSTREAM_FORWARD_HEADERS: 'Authorization, X-Request-Id',
      UPSTREAM_TIMEOUT_MS: '2500',
    });
    expect(config.upstream).toMatchObject({
      url: 'http://upstream.internal:4000/graphql',
      headers: { 'x-api-key': 'k' },
      forwardHeaders: ['authorization', 'x-request-id'],
      timeoutMs: 2500,
      annotationsFile: expect.stringMatching(/schema\/annotations\.graphql$/),
      annotationsFileRequired: false,
      errorMessages: 'hide',
      startupWaitMs: 30_000,
    });
    expect(loadConfig({ UPSTREAM_URL: 'http://u/', UPSTREAM_STARTUP_WAIT: '0' }).upstream?.startupWaitMs).toBe(0);
    expect(loadConfig({ UPSTREAM_URL: 'http://u/', UPSTREAM_STARTUP_WAIT: '2m' }).upstream?.startupWaitMs).toBe(120_000);
    expect(() => loadConfig({ UPSTREAM_URL: 'http://u/', UPSTREAM_STARTUP_WAIT: 'soon' })).toThrow(/^UPSTREAM_STARTUP_WAIT: must be 0 or a duration such as 30s or 2m$/);
    expect(loadConfig({}).upstream).toBeUndefined();
    expect(loadConfig({ UPSTREAM_URL: 'http://u/', PII_ANNOTATIONS: 'none' }).upstream?.annotationsFile).toBeUndefined();
    expect(loadConfig({ UPSTREAM_URL: 'http://u/', PII_ANNOTATIONS: 'a.graphql' }).upstream?.annotationsFileRequired).toBe(true);
  });

  it('never quotes UPSTREAM_HEADERS, which may hold credentials', () => {
    for (const bad of ['{"authorization": "Bearer s3cr3t"', '["Bearer s3cr3t"]', '{"authorization": 42, "x": "s3cr3t"}']) {
      expect(() => loadConfig({ UPSTREAM_URL: 'http://u/', UPSTREAM_HEADERS: bad })).toThrow(/UPSTREAM_HEADERS must be a JSON object/);
      expect(() => loadConfig({ UPSTREAM_URL: 'http://u/', UPSTREAM_HEADERS: bad })).not.toThrow(/s3cr3t/);
    }
  });

  it.each([
    [{ UPSTREAM_URL: 'ftp://x/' }, /UPSTREAM_URL must be an http\(s\) URL/],
    [{ UPSTREAM_URL: 'http://u/', UPSTREAM_ERROR_MESSAGES: 'show' }, /UPSTREAM_ERROR_MESSAGES must be one of/],
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ TOKEN_PREFIX: 'Tok_' }, /TOKEN_PREFIX must match/],
    [{ TOKEN_STORE: 'redis' }, /TOKEN_STORE must be one of/],
    [{ TOKEN_TABLE_CREATE: 'maybe' }, /TOKEN_TABLE_CREATE must be true or false/],
    [{ DEV_TENANT: 'a#b' }, /DEV_TENANT must match/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('production defaults', () => {
  it('turns introspection off in production unless asked for', () => {
    const production = { NODE_ENV: 'production', PII_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), AUTH_JWKS_URL: 'https://id.example.com/jwks' };
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig(production).introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION: 'on' }).introspection).toBe(true);
  });
});
