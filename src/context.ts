import type { AuditRecord } from './audit.js';
import type { Detection } from './detect/detection-offload.js';
import type { Identity } from './auth/identity.js';
import type { PiiContext } from './directive/pii-directive.js';
import type { RequestPiiContext } from './transform/request-pii-context.js';
import type { RequestVault } from './vault/vault.js';
import type { TenantShredder } from './shredding/tenant-shredder.js';

/** The GraphQL context of one request. */
export interface GatewayContext extends PiiContext {
  pii: RequestPiiContext;
  requestId: string;
  identity: Identity;
  vault: RequestVault;
  audit: AuditRecord;
  /** Headers of the incoming request to pass on to the upstream (UPSTREAM_FORWARD_HEADERS). */
  upstreamHeaders: Record<string, string>;
  /** Where free text larger than `offloadBytes` is scanned: off the event loop. */
  detection: Detection;
  /** Process-wide: crypto-shredding of tenants and the progress of their deletions. */
  shredder: TenantShredder;
}
