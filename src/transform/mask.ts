/**
 * The MASKED reveal level: enough to recognise a value, not to use it. Emails (one word) keep
 * their first character and domain (`j***@example.com`); values with at least seven digits
 * (phones, SSNs, cards) keep their last four digits and their separators (`***-**-6789`);
 * anything else, free text too, keeps the first character of each word (`J*** S****`).
 */
export function maskValue(value: string): string {
  const at = value.lastIndexOf('@');
  // An email, not text that holds one: a note masked as "R***@hotmail.com." would lose its words
  // and pass for an address.
  if (at > 0 && at < value.length - 1 && !/\s/u.test(value)) return `${value[0]}***${value.slice(at)}`;
  const digits = value.replace(/\D/g, '').length;
  if (digits >= 7) {
    let keep = 4;
    const chars = [...value];
    for (let i = chars.length - 1; i >= 0; i--) {
      if (/\d/.test(chars[i]!)) chars[i] = keep-- > 0 ? chars[i]! : '*';
      else if (/\p{L}/u.test(chars[i]!)) chars[i] = '*';
    }
    return chars.join('');
  }
  return value.replace(/(\p{L}|\p{N})([\p{L}\p{N}\p{M}]*)/gu, (_, first: string, rest: string) => first + '*'.repeat([...rest].length));
}
