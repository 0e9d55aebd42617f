import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

// Tokens are stored only as SHA-256 hashes: a leaked database does not let anyone upload or
// delete as a participant. 256 random bits need no slow hash.

export const newParticipantId = () => randomUUID();
export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison, so the admin token cannot be found a character at a time. */
export const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
