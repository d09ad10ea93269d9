import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleType, isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { StoreUnavailableError, storeFailureReason, type MappingKey, type StoredMapping, type TenantKeyRecord, type TokenStore } from './token-store.js';

export interface CircuitBreakerOptions {
  /** Consecutive failed store calls that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one call may try the store again. */
  cooldownMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER: CircuitBreakerOptions = { failures: 5, cooldownMs: 2000 };

export type CircuitStateName = 'closed' | 'open' | 'half-open';

/**
 * A TokenStore that stops calling a store that keeps failing (cockatiel's circuit breaker).
 * After `failures` consecutive StoreUnavailableErrors every call fails at once, with no
 * network wait, for `cooldownMs`; then one call goes through: success closes the circuit,
 * failure opens it again. A dead store then costs a request microseconds instead of its
 * whole retry budget, and requests do not pile up behind it.
 */
export class CircuitBreakingStore implements TokenStore {
  private readonly policy: CircuitBreakerPolicy;

  constructor(
    private readonly inner: TokenStore,
    options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER,
    /** `reason`, when the circuit opens: why the call that opened it failed (storeFailureReason). */
    onStateChange?: (state: CircuitStateName, reason?: string) => void,
  ) {
    this.policy = circuitBreaker(handleType(StoreUnavailableError), {
      halfOpenAfter: options.cooldownMs,
      breaker: new ConsecutiveBreaker(options.failures),
    });
    if (onStateChange) {
      let reason: string | undefined;
      // cockatiel reports the break (with its cause) just before the state change.
      this.policy.onBreak((cause) => (reason = 'error' in cause ? storeFailureReason(cause.error) : undefined));
      this.policy.onStateChange((state) => {
        const name = stateName(state);
        onStateChange(name, name === 'open' ? reason : undefined);
      });
    }
  }

  get state(): CircuitStateName {
    return stateName(this.policy.state);
  }

  putMany(items: readonly StoredMapping[]): Promise<void> {
    return this.guard(() => this.inner.putMany(items));
  }

  getMany(keys: readonly MappingKey[]): Promise<(StoredMapping | undefined)[]> {
    return this.guard(() => this.inner.getMany(keys));
  }

  delete(keys: readonly MappingKey[]): Promise<void> {
    return this.guard(() => this.inner.delete(keys));
  }

  getTenantKey(tenant: string): Promise<TenantKeyRecord | undefined> {
    return this.guard(() => this.inner.getTenantKey(tenant));
  }

  swapTenantKey(tenant: string, previousId: string | undefined, next: TenantKeyRecord): Promise<boolean> {
    return this.guard(() => this.inner.swapTenantKey(tenant, previousId, next));
  }

  ping(): Promise<void> {
    return this.guard(() => this.inner.ping());
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(call);
    } catch (error) {
      if (isBrokenCircuitError(error)) throw new StoreUnavailableError('the token store circuit is open after repeated failures; not calling it until it cools down');
      throw error;
    }
  }
}

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Open || state === CircuitState.Isolated) return 'open';
  return state === CircuitState.HalfOpen ? 'half-open' : 'closed';
}
