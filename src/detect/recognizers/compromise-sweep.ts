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

/** A rule net indexed once: its keys' positions, and each key's rules with an id per distinct match. */
interface IndexedNet {
  position: Map<string, number>;
  rulesAt: { id: number; rule: SweepRule }[][];
  /** Per match id, the sentence in which it was last a candidate: compromise keeps a match's first rule only. */
  seenIn: Uint32Array;
}

function indexNet(net: RuleNet): IndexedNet {
  const keys = Object.keys(net.hooks);
  const ids = new Map<string, number>();
  const rulesAt = keys.map((key) =>
    net.hooks[key]!.map((rule) => {
      let id = ids.get(rule.match);
      if (id === undefined) ids.set(rule.match, (id = ids.size));
      return { id, rule };
    }),
  );
  return { position: new Map(keys.map((key, i) => [key, i])), rulesAt, seenIn: new Uint32Array(ids.size) };
}

/** Whether the sentence has what the rule needs, nothing it must not have, and enough of what it wants. */
function applies(rule: SweepRule, haves: Set<string>): boolean {
  for (const need of rule.needs) if (!haves.has(need)) return false;
  if (rule.ifNo !== undefined) for (const no of rule.ifNo) if (haves.has(no)) return false;
  if (rule.wants.length === 0) return true;
  let wanted = 0;
  for (const want of rule.wants) if (haves.has(want) && ++wanted >= rule.minWant) return true;
  return wanted >= rule.minWant;
}

export function indexedBulkMatch(): (document: unknown[][], net: RuleNet, methods: SweepMethods, options?: { matchOne?: boolean }) => Found[] {
  // The post-tagger builds its net once; indexed on first use.
  const indexes = new WeakMap<RuleNet, IndexedNet>();
  let sentence = 0;
  return (document, net, methods, options = {}) => {
    let index = indexes.get(net);
    if (!index) indexes.set(net, (index = indexNet(net)));
    const { position, rulesAt, seenIn } = index;
    const caches = methods.one.cacheDoc(document);
    const results: Found[] = [];
    const positions: number[] = [];
    for (let n = 0; n < document.length; n++) {
      const haves = caches[n]!;
      positions.length = 0;
      for (const item of haves) {
        const at = position.get(item);
        if (at !== undefined) positions.push(at);
      }
      positions.sort((a, b) => a - b);
      if (++sentence === 0xffffffff) {
        seenIn.fill(0);
        sentence = 1;
      }
      const candidates: SweepRule[] = [];
      for (const at of positions) {
        for (const { id, rule } of rulesAt[at]!) {
          if (seenIn[id] === sentence) continue;
          seenIn[id] = sentence;
          if (applies(rule, haves)) candidates.push(rule);
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
