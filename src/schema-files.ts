import { readFileSync } from 'node:fs';

/** The SDL files under schema/, read once: the directive, the service API and the demo upstream. */
export function loadTypeDefs(): string[] {
  const dir = new URL('../schema/', import.meta.url);
  return ['pii.graphql', 'service.graphql', 'demo.graphql'].map((file) => readFileSync(new URL(file, dir), 'utf8'));
}
