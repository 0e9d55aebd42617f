import type { Span } from './types';
import { windowsAround } from './windows';

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![\\w.@^~=<>-])${OCTET}(?:\\.${OCTET}){3}(?![\\w-]|\\.\\d)`, 'g');
// Four dotted numbers after these words are versions (Chrome 120.0.6099.109, build 1.2.3.4).
const VERSION_BEFORE = /\b(?:version|ver\.?|release|build|v|chrome|firefox|edge|node|python|java|windows|ios|android|firmware|update|upgrade)\s*$/i;
const IPV6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])/g;

export function findIps(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(IPV4)) {
    if (VERSION_BEFORE.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
    spans.push({ start: match.index, end: match.index + match[0].length, kind: 'ip' });
  }
  for (const [from, window] of windowsAround(text, /:[0-9A-Fa-f]{0,4}:/g)) {
    for (const match of window.matchAll(IPV6_CANDIDATE)) {
      if (isIpv6(match[0])) spans.push({ start: from + match.index, end: from + match.index + match[0].length, kind: 'ip' });
    }
  }
  return spans;
}

/**
 * RFC 4291 text form: eight groups, or fewer around one `::`. Clock times (10:30:45) and MAC
 * addresses have no `::` and too few groups; a compressed address must have one group of three or
 * more hex digits, which `a::b` in code lacks.
 */
function isIpv6(candidate: string): boolean {
  const withoutV4 = candidate.replace(/:\d{1,3}(?:\.\d{1,3}){3}$/, ':0:0');
  const halves = withoutV4.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (groups.some((group) => !/^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  if (halves.length === 1) return groups.length === 8;
  return groups.length <= 7 && groups.length >= 2 && groups.some((group) => group.length >= 3);
}
