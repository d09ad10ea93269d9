/**
 * `npm run token -- --tenant acme --scope "pii:anonymize pii:deanonymize" [--subject alice] [--expires 1h]`
 * prints a JWT signed by this gateway's development key (DATA_DIR/dev-signing-key.json), which a
 * gateway in development mode verifies like any other token.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { prepareDataDir } from '../data-dir.js';
import { isValidKind } from '../tokens/token-format.js';
import { loadDevelopmentKey } from './development-key.js';
import { TENANT_NAME } from './identity.js';
import { Scope } from './scopes.js';

const USAGE = 'usage: npm run token -- --tenant <tenant> [--scope "pii:anonymize pii:deanonymize"] [--subject <name>] [--expires 1h]';
/** What jose's expiresIn accepts, in the forms worth offering: 30s, 10m, 8h, 7d, 2w. */
const DURATION = /^\d+ ?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks|y|yr|yrs|year|years)$/i;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** A scope this gateway checks: the operation scopes, and reveal scopes for every kind or one. */
function isKnownScope(scope: string): boolean {
  if ((Object.values(Scope) as string[]).includes(scope)) return true;
  const reveal = /^pii:reveal(?:-masked)?(?::(.+))?$/.exec(scope);
  return reveal !== null && (reveal[1] === undefined || isValidKind(reveal[1]));
}

let values: { tenant?: string; scope?: string; subject?: string; expires?: string };
try {
  ({ values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      scope: { type: 'string', default: '' },
      subject: { type: 'string', default: 'developer' },
      expires: { type: 'string', default: '1h' },
    },
  }));
} catch (error) {
  // parseArgs' own message (an unknown option, a missing value) and what to type instead.
  fail(`${(error as Error).message}\n${USAGE}`);
}
const config = loadConfig();
if (config.auth.kind !== 'development') fail('npm run token signs development tokens; this gateway is configured to verify tokens from AUTH_* keys');
if (!values.tenant || !TENANT_NAME.test(values.tenant)) fail(USAGE);
const unknown = values.scope!.split(/\s+/).filter((scope) => scope && !isKnownScope(scope));
if (unknown.length > 0) {
  fail(`unknown scope ${unknown.map((scope) => `"${scope}"`).join(', ')}; the gateway checks ${Object.values(Scope).join(', ')}, pii:reveal, pii:reveal-masked, and pii:reveal:<kind>, pii:reveal-masked:<kind>`);
}
if (!DURATION.test(values.expires!)) fail(`--expires takes a duration such as 30m, 8h or 7d`);
await prepareDataDir(config.dataDir).catch((error: unknown) => {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
});
const key = await loadDevelopmentKey(config.dataDir);
const claims = { [config.auth.claims.tenant]: values.tenant, [config.auth.claims.scope]: values.scope };
process.stdout.write(`${await key.sign(claims, { subject: values.subject!, expiresIn: values.expires! })}\n`);
