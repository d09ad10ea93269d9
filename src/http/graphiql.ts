import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Kind, parse, print } from 'graphql';

const require = createRequire(import.meta.url);

/** The browser IDE's files, served from node_modules: no CDN, works offline. */
const ASSETS: Record<string, { module: string; file: string; type: string }> = {
  '/graphiql/react.js': { module: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  '/graphiql/react-dom.js': { module: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  '/graphiql/graphiql.js': { module: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  '/graphiql/graphiql.css': { module: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

const loaded = new Map<string, Buffer>();

/** The file behind a /graphiql/ path, read once; undefined for any other path. */
export function graphiqlAsset(pathname: string): { body: Buffer; type: string } | undefined {
  const asset = ASSETS[pathname];
  if (!asset) return undefined;
  let body = loaded.get(pathname);
  if (!body) {
    const packageJson = require.resolve(`${asset.module}/package.json`);
    body = readFileSync(path.join(path.dirname(packageJson), asset.file));
    loaded.set(pathname, body);
  }
  return { body, type: asset.type };
}

/** Variables for the examples that need them, by operation name. */
const EXAMPLE_VARIABLES: Record<string, unknown> = {
  AnonymizePayload: {
    payload: { patient: { name: 'Zoë Ångström', email: 'zoe@example.com' }, visits: [{ room: 12 }] },
    fields: ['patient.email', 'patient.name:person', 'visits[*].room'],
  },
  AnonymizeWithStrategies: {
    payload: { card: '4242 4242 4242 4242', phone: '+1 (415) 555-0142', email: 'zoe@example.com', dateOfBirth: '1984-03-09', name: 'Zoë Ångström' },
    rules: [
      { path: 'card', strategy: 'FORMAT_PRESERVING', formatPreserving: { keepLast: 4, luhn: true } },
      { path: 'phone', strategy: 'MASK', mask: { keepLast: 4 } },
      { path: 'email', strategy: 'HASH', hash: { length: 16 } },
      { path: 'dateOfBirth', strategy: 'GENERALIZE', generalize: { to: 'AGE_BAND' } },
      { path: 'name', kind: 'person' },
    ],
  },
  AnonymizeText: { text: 'Dr. Jane Smith from Acme Corp saw Mrs. Zoë Ångström in Paris; call +1 212-555-0147.' },
  Deanonymize: { payload: { email: 'paste a tok_email_… token from the other tabs here' }, reason: 'trying the gateway' },
  ForgetValues: { values: [{ kind: 'email', value: 'zoe@example.com' }], reason: 'erasure request DSR-1' },
};

let examples: { query: string; variables?: string }[] | undefined;

/** One tab per operation of schema/examples.graphql, the same operations the tests are typed by. */
function exampleTabs(): { query: string; variables?: string }[] {
  examples ??= parse(readFileSync(new URL('../../schema/examples.graphql', import.meta.url), 'utf8')).definitions.flatMap((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return [];
    const variables = EXAMPLE_VARIABLES[definition.name?.value ?? ''];
    return [{ query: print(definition), ...(variables ? { variables: JSON.stringify(variables, null, 2) } : {}) }];
  });
  return examples;
}

/**
 * The GraphiQL page, opening with example operations for this gateway and, in development, an
 * Authorization header already filled in.
 */
export function graphiqlPage(options: { endpoint: string; headers?: Record<string, string> }): string {
  const tabs = exampleTabs();
  const props = {
    defaultTabs: tabs,
    // GraphiQL takes the open tab's editors from these, not from defaultTabs[0].
    query: tabs[0]!.query,
    variables: tabs[0]!.variables,
    defaultEditorToolsVisibility: true,
    ...(options.headers ? { defaultHeaders: JSON.stringify(options.headers, null, 2) } : {}),
  };
  // JSON inside a <script> must not close it: escape `<`.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>PII gateway · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.js"></script>
  <script src="/graphiql/react-dom.js"></script>
  <script src="/graphiql/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${json(options.endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, Object.assign({ fetcher }, ${json(props)})),
    );
  </script>
</body>
</html>
`;
}
