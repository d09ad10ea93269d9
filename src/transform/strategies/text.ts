import { detectableKinds, detectSpans, TEXT_RECOGNIZERS, type DetectLists } from '../../detect/detect.js';
import { anonymizeText } from '../../text/anonymize-text.js';
import { isValidKind } from '../../tokens/token-format.js';
import { holdsText, StrategyOptionError, TransformFailure, type FieldTransform, type StrategyTarget } from '../field-transform.js';

const BUILT_IN_KINDS = detectableKinds(TEXT_RECOGNIZERS);

/** The kinds detectable with a context's lists, worked out once per lists (the configuration's, mostly), not per value. */
const detectableByLists = new WeakMap<DetectLists, Set<string>>();
function detectableWith(lists: DetectLists): Set<string> {
  let kinds = detectableByLists.get(lists);
  if (!kinds) detectableByLists.set(lists, (kinds = detectableKinds(TEXT_RECOGNIZERS, lists)));
  return kinds;
}

export interface TextOptions {
  /** Only these kinds of entity are replaced (person, email ...); all by default. */
  kinds?: readonly string[] | null;
}

/**
 * TEXT: the entities inside free text (names, organizations, places by NER; emails, phones,
 * cards, IBANs, SSNs, IPs by validated patterns) become tokens of their own kinds, the rest of
 * the text stays readable; deanonymize restores the tokens inside the text. The field's own kind
 * only names the field. NER is the costly part (see BENCHMARKS.md): meant for notes, not for
 * every column of a large page.
 */
export function text(given: TextOptions | undefined, target: StrategyTarget): FieldTransform {
  if (!holdsText(target)) throw new StrategyOptionError(`TEXT needs a String field, not ${target.type}`);
  const kinds = given?.kinds ?? null;
  if (kinds && !kinds.every(isValidKind)) {
    throw new StrategyOptionError('text.kinds are lowercase letters, digits and underscores, starting with a letter (at most 32)');
  }
  // Kinds beyond the built-in detectors' must come from the configured deny list or recognizers
  // (known only with the context): a misspelt kind would leave those values in the text.
  const beyondBuiltIn = kinds?.filter((kind) => !BUILT_IN_KINDS.has(kind)) ?? [];
  return (value, _kind, context) => {
    if (beyondBuiltIn.length > 0) {
      const detectable = detectableWith(context.detectLists);
      const missing = beyondBuiltIn.find((kind) => !detectable.has(kind));
      if (missing !== undefined) throw new TransformFailure(`text.kinds[${kinds!.indexOf(missing)}] is not a kind the detectors find`);
    }
    const text = String(value);
    const spans = context.textSpans?.get(text) ?? detectSpans(text, TEXT_RECOGNIZERS, context.detectLists);
    return anonymizeText(text, kinds, 'TOKENS', (spanKind, found) => context.tokenize(spanKind, found), context.detectLists, spans).text;
  };
}
