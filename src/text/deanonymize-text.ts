import { badUserInput } from '../errors/gateway-error.js';
import { isJsonObject, type JsonValue } from '../json.js';
import { deanonymizePayload, type DeanonymizeOutcome, type ResolveFn } from '../payload/deanonymize-payload.js';
import { RestoredSize } from '../payload/payload-limits.js';
import type { TokenFormat } from '../tokens/token-format.js';
import { PLACEHOLDER_IN_TEXT } from './placeholders.js';

export interface DeanonymizedText {
  text: string;
  resolved: number;
  unresolved: number;
  kinds: Map<string, number>;
}

/**
 * Restores placeholders from the mapping the caller kept (tolerating the case and bracket
 * changes an LLM makes) and tokens from the store. Unknown placeholders and tokens stay.
 */
export async function deanonymizeText(text: string, mapping: JsonValue | null | undefined, format: TokenFormat, resolve: ResolveFn): Promise<DeanonymizedText> {
  const originals = placeholderOriginals(mapping);
  let placeholdersResolved = 0;
  const size = new RestoredSize();
  const kinds = new Map<string, number>();
  const withPlaceholders = originals.size
    ? text.replace(PLACEHOLDER_IN_TEXT, (whole, bracketedKind?: string, bracketedN?: string, bareKind?: string, bareN?: string) => {
        const kind = (bracketedKind ?? bareKind)!;
        const original = originals.get(`${kind.toUpperCase()}_${Number(bracketedN ?? bareN)}`);
        if (original === undefined) return whole;
        size.add(original.length);
        placeholdersResolved++;
        kinds.set(kind.toLowerCase(), (kinds.get(kind.toLowerCase()) ?? 0) + 1);
        return original;
      })
    : text;
  const tokens: DeanonymizeOutcome = await deanonymizePayload(withPlaceholders, format, resolve, size);
  for (const [kind, count] of tokens.kinds) kinds.set(kind, (kinds.get(kind) ?? 0) + count);
  return { text: tokens.payload as string, resolved: tokens.resolved + placeholdersResolved, unresolved: tokens.unresolved, kinds };
}

const MAPPING_KEY = /^\[?\s*([A-Za-z][A-Za-z0-9_]*)_(\d+)\s*\]?$/;

/**
 * The mapping as anonymizeText returned it, by normalized placeholder. Anything else is refused
 * rather than ignored: a mapping passed the wrong way round ({ original: placeholder }) or
 * wrapped in the whole answer would otherwise leave every placeholder in the text without a
 * word. Entries are named by position only, since a wrong key may be an original.
 */
function placeholderOriginals(mapping: JsonValue | null | undefined): Map<string, string> {
  const originals = new Map<string, string>();
  if (mapping === null || mapping === undefined) return originals;
  if (!isJsonObject(mapping)) throw badUserInput('mapping must be an object of placeholders to originals, as anonymizeText returned it');
  Object.entries(mapping).forEach(([key, value], index) => {
    const match = MAPPING_KEY.exec(key);
    if (!match) throw badUserInput(`mapping entry ${index}: its key is not a placeholder such as [PERSON_1]; the mapping goes from placeholders to originals, as anonymizeText returned it`);
    if (typeof value !== 'string') throw badUserInput(`mapping entry ${index}: its value is not a string`);
    originals.set(`${match[1]!.toUpperCase()}_${Number(match[2])}`, value);
  });
  return originals;
}
