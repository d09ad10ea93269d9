import type { JsonValue } from '../json.js';

/** A token handed out in this request whose mapping may not be stored yet. */
export interface PendingMapping {
  tenant: string;
  token: string;
  kind: string;
  /** The original's JSON text, as stored. */
  json: string;
  /** The original itself and its cache partition, to remember it once the write is acknowledged. */
  value: JsonValue;
  scope: string;
  /** Seconds: an upper bound on the mapping's life from the request (a policy's retention). */
  ttl?: number;
}
