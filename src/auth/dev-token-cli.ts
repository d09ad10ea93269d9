/**
 * `npm run token -- --tenant acme --scope "pii:anonymize pii:deanonymize" [--subject alice] [--expires 1h]`
 * prints a JWT signed by this gateway's development key (DATA_DIR/dev-signing-key.json), which a
 * gateway in development mode verifies like any other token.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { loadDevelopmentKey } from './development-key.js';
import { TENANT_NAME } from './identity.js';

const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    scope: { type: 'string', default: '' },
    subject: { type: 'string', default: 'developer' },
    expires: { type: 'string', default: '1h' },
  },
});
const config = loadConfig();
if (config.auth.kind !== 'development') {
  process.stderr.write('npm run token signs development tokens; this gateway is configured to verify tokens from AUTH_* keys\n');
  process.exit(1);
}
if (!values.tenant || !TENANT_NAME.test(values.tenant)) {
  process.stderr.write('usage: npm run token -- --tenant <tenant> [--scope "pii:anonymize pii:deanonymize"] [--subject <name>] [--expires 1h]\n');
  process.exit(1);
}
const key = await loadDevelopmentKey(config.dataDir);
const claims = { [config.auth.claims.tenant]: values.tenant, [config.auth.claims.scope]: values.scope };
process.stdout.write(`${await key.sign(claims, { subject: values.subject!, expiresIn: values.expires! })}\n`);
