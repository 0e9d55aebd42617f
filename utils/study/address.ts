import { LOOPBACK_HOSTS } from './permissions';

// A study's address as the participant typed it (the collector's base URL), and what the extension
// may reach there. Shared by the pages (which ask for the browser's permission from a click) and
// the background (which checks it and makes every request).

export interface StudyAddress {
  /** The collector's base URL without a trailing slash: requests go to `${base}/v1/...`. */
  base: string;
  /** The match pattern the host permission is asked for: the address's host, any port (match patterns cannot name one in Firefox). */
  permission: string;
}

export type AddressProblem = 'invalid' | 'insecure' | 'credentials';

/** The study address the participant typed, or why it cannot be one. */
export function parseStudyAddress(typed: string): StudyAddress | { problem: AddressProblem } {
  let url: URL;
  try {
    url = new URL(typed.trim());
  } catch {
    return { problem: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'invalid' };
  if (url.protocol === 'http:' && !(LOOPBACK_HOSTS as readonly string[]).includes(url.hostname)) return { problem: 'insecure' };
  if (url.username || url.password) return { problem: 'credentials' };
  // Only the base: a query or fragment means nothing to the collector.
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  return { base, permission: `${url.protocol}//${url.hostname}/*` };
}

/** The address the build was made for (`WXT_STUDY_URL`), offered on the join form; empty when none. */
export const DEFAULT_STUDY_URL: string = import.meta.env.WXT_STUDY_URL ?? '';
