/** A token handed out in this request whose mapping may not be stored yet. */
export interface PendingMapping {
  tenant: string;
  token: string;
  kind: string;
  /** The original's JSON text. */
  json: string;
}
