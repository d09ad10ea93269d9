import { readFileSync } from 'node:fs';

export interface TypeDefs {
  /** The @pii directive and the strategy enum. */
  pii: string;
  /** The gateway's own API: anonymize, deanonymize and their types. */
  service: string;
  /** The built-in demo upstream. */
  demo: string;
}

/** The SDL files under schema/, read once at startup. */
export function loadTypeDefs(): TypeDefs {
  const read = (file: string) => readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8');
  return { pii: read('pii.graphql'), service: read('service.graphql'), demo: read('demo.graphql') };
}
