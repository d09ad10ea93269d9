/**
 * How long mappings are kept: a default time-to-live, one per kind and one per tenant. A mapping
 * lives as long as the shortest of the TTLs that apply to it, so a rule can only shorten what
 * another allows (the conservative reading a privacy officer expects); `never` is no limit.
 */
export class RetentionPolicy {
  constructor(
    private readonly defaultSeconds: number | undefined,
    private readonly byKind: ReadonlyMap<string, number | undefined> = new Map(),
    private readonly byTenant: ReadonlyMap<string, number | undefined> = new Map(),
  ) {}

  static none(): RetentionPolicy {
    return new RetentionPolicy(undefined);
  }

  /** Seconds a new mapping of this tenant and kind is kept; undefined for no expiry. */
  ttlSeconds(tenant: string, kind: string): number | undefined {
    return shortest([this.defaultSeconds, this.byKind.get(kind), this.byTenant.get(tenant)]);
  }

  /** The shortest TTL any mapping can get: the token cache forgets entries within half of it. */
  shortestSeconds(): number | undefined {
    return shortest([this.defaultSeconds, ...this.byKind.values(), ...this.byTenant.values()]);
  }
}

function shortest(values: readonly (number | undefined)[]): number | undefined {
  let min: number | undefined;
  for (const value of values) if (value !== undefined && (min === undefined || value < min)) min = value;
  return min;
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `30d`, `12h`, `90m`, `45s` -> seconds; `never` -> undefined. Throws with a message naming no value. */
export function parseDuration(text: string): number | undefined {
  if (text === 'never') return undefined;
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(text);
  if (!match) throw new Error('a duration is a whole number followed by s, m, h or d (30d, 12h), or "never"');
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** `email=30d,person=never` -> name -> seconds. */
export function parseDurationMap(text: string, isName: (name: string) => boolean): Map<string, number | undefined> {
  const map = new Map<string, number | undefined>();
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    if (at <= 0 || !isName(name)) throw new Error('entries are name=duration, separated by commas');
    map.set(name, parseDuration(entry.slice(at + 1)));
  }
  return map;
}
