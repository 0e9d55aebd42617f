import type { Span } from './types';

// Vendors give their credentials fixed prefixes so that leaks can be found; these are the ones
// participants are likely to paste. One pattern each: a pattern that starts with a literal is
// searched for quickly.
const PREFIXED = [
  '-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\\s\\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----',
  'sk-ant-[A-Za-z0-9_-]{20,}',
  'sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}',
  '(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}',
  'github_pat_[A-Za-z0-9_]{22,}',
  'glpat-[A-Za-z0-9_-]{20}',
  '(?:AKIA|ASIA)[0-9A-Z]{16}',
  'xox[abpr]-[A-Za-z0-9-]{10,}',
  'AIza[0-9A-Za-z_-]{35}',
  '(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}',
  'hf_[A-Za-z0-9]{30,}',
  // JWT: base64url header and payload that both decode to a JSON object ("eyJ" is `{"`).
  'eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}',
].map((source) => new RegExp(source, 'g'));

// `password = hunter2`, `"api_key": "…"`: the value after a credential word.
const ASSIGNED = /\b(?:password|passwd|pwd|passphrase|secret|client_secret|token|api[_-]?key|access[_-]?key|auth)["']?\s*[:=]\s*["']?([^\s"',;]{6,})/gi;
// Values that show where a secret would go rather than being one.
const PLACEHOLDER = /^(?:<.*|\$\{?.*|\{\{.*|process\.env.*|os\.environ.*|(?:your|my)[_-].*|x+|\*+|\.+|null|none|undefined|true|false|changeme|example.*|placeholder.*)$/i;

// Long runs of base64/base64url characters with letters of both cases and digits, and enough
// entropy that they are unlikely to be words or identifiers. Pure hex is left out on purpose:
// it is nearly always a git SHA, a checksum or a UUID, which name content rather than grant
// access; a hex secret written as `token = …` is still caught by ASSIGNED.
const MIN_RANDOM_LENGTH = 32;
const MIN_BITS_PER_CHAR = 4;
// Base64 and base64url characters; a run is scanned in one pass (a regex retries at every letter).
const TOKEN_CHAR = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-=') TOKEN_CHAR[char.charCodeAt(0)] = 1;

export function findSecrets(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of PREFIXED) {
    for (const match of text.matchAll(pattern)) {
      spans.push({ start: match.index, end: match.index + match[0].length, kind: 'secret' });
    }
  }
  for (const match of text.matchAll(ASSIGNED)) {
    const value = match[1]!;
    if (PLACEHOLDER.test(value)) continue;
    const start = match.index + match[0].length - value.length;
    spans.push({ start, end: start + value.length, kind: 'secret' });
  }
  spans.push(...findRandomLooking(text));
  return spans;
}

function findRandomLooking(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 32;
    if (code < 128 && TOKEN_CHAR[code]) continue;
    // A run glued to a dot is a file name, a domain or a JWT part, handled elsewhere.
    if (i - start >= MIN_RANDOM_LENGTH && text[start - 1] !== '.' && code !== 46) {
      const token = text.slice(start, i);
      if (/^[^=]+={0,2}$/.test(token) && looksRandom(token)) spans.push({ start, end: i, kind: 'secret' });
    }
    start = i + 1;
  }
  return spans;
}

function looksRandom(token: string): boolean {
  if (/^[0-9a-f-]+$/i.test(token)) return false;
  if (!/[a-z]/.test(token) || !/[A-Z]/.test(token) || (token.match(/\d/g) ?? []).length < 2) return false;
  return shannonBitsPerChar(token) >= MIN_BITS_PER_CHAR;
}

function shannonBitsPerChar(token: string): number {
  const counts = new Map<string, number>();
  for (const char of token) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / token.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
