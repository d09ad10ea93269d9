/** Who is calling: the tenant whose keys and tokens apply, the subject, and what they may do. */
export interface Identity {
  tenant: string;
  subject: string;
  scopes: ReadonlySet<string>;
  /** Set by the `reveal_requires_reason` claim: originals only with a stated reason. */
  revealRequiresReason?: boolean;
}

/** A tenant's name, wherever one is given (token claim, DEV_TENANT, per-tenant settings): 1-64 letters, digits, ".", "_" or "-". */
export const TENANT_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** Turns a request's headers into an identity, or throws a GatewayError (UNAUTHENTICATED ...). */
export type Authenticate = (headers: ReadonlyMap<string, string>) => Promise<Identity>;
