/**
 * compromise's bulk matcher (the post-tagger's `sweep`), with its candidate rules found from the
 * words and tags of each sentence rather than by testing every indexed key of the rule net
 * against each sentence: with a few hundred keys and a sentence of about twenty terms, that test
 * was a fifth of NER's time. Everything else is compromise 14's own algorithm
 * (src/1-one/sweep/methods/sweep): candidates in the net's key order without repeats, then its
 * needs, ifNo, wants and minimum length, then the matches in that order, so the results and
 * their order are the same.
 */

interface SweepRule {
  match: string;
  needs: string[];
  wants: string[];
  minWant: number;
  minWords: number;
  ifNo?: string[];
  unTag?: string;
}

interface RuleNet {
  hooks: Record<string, SweepRule[]>;
  always: SweepRule[];
}

interface SweepMethods {
  one: {
    cacheDoc(document: unknown[][]): Set<string>[];
    match(docs: unknown[][], rule: SweepRule): { ptrs: number[][] };
  };
}

type Found = SweepRule & { pointer: number[] };

export function indexedBulkMatch(): (document: unknown[][], net: RuleNet, methods: SweepMethods, options?: { matchOne?: boolean }) => Found[] {
  // A net's key order, computed once per net: the post-tagger builds its net once.
  const keyOrders = new WeakMap<RuleNet, Map<string, number>>();
  return (document, net, methods, options = {}) => {
    let keyOrder = keyOrders.get(net);
    if (!keyOrder) keyOrders.set(net, (keyOrder = new Map(Object.keys(net.hooks).map((key, i) => [key, i]))));
    const caches = methods.one.cacheDoc(document);
    const results: Found[] = [];
    for (let n = 0; n < document.length; n++) {
      const haves = caches[n]!;
      const keys: string[] = [];
      for (const item of haves) if (keyOrder.has(item)) keys.push(item);
      keys.sort((a, b) => keyOrder.get(a)! - keyOrder.get(b)!);
      const seen = new Set<string>();
      const candidates: SweepRule[] = [];
      for (const key of keys) {
        for (const rule of net.hooks[key]!) {
          if (seen.has(rule.match)) continue;
          seen.add(rule.match);
          if (!rule.needs.every((need) => haves.has(need))) continue;
          if (rule.ifNo !== undefined && rule.ifNo.some((no) => haves.has(no))) continue;
          if (rule.wants.length > 0 && rule.wants.filter((want) => haves.has(want)).length < rule.minWant) continue;
          candidates.push(rule);
        }
      }
      candidates.push(...net.always);
      const terms = document[n]!;
      for (const rule of candidates) {
        if (terms.length < rule.minWords) continue;
        const { ptrs } = methods.one.match([terms], rule);
        if (ptrs.length === 0) continue;
        for (const pointer of ptrs) {
          pointer[0] = n;
          results.push({ ...rule, pointer });
        }
        if (options.matchOne === true) return [results[0]!];
      }
    }
    return results;
  };
}
