import { t, type StaticMessageKey } from '@/utils/i18n';
import type { SpanKind } from '@/utils/redaction/types';

// How the participant reads a kind of personal detail: "e-mail address", "3 e-mail addresses".

const NAMES: Record<SpanKind, readonly [one: StaticMessageKey, many: StaticMessageKey]> = {
  secret: ['redactKind_secret', 'redactKinds_secret'],
  card: ['redactKind_card', 'redactKinds_card'],
  iban: ['redactKind_iban', 'redactKinds_iban'],
  national_id: ['redactKind_national_id', 'redactKinds_national_id'],
  email: ['redactKind_email', 'redactKinds_email'],
  url: ['redactKind_url', 'redactKinds_url'],
  ip: ['redactKind_ip', 'redactKinds_ip'],
  phone: ['redactKind_phone', 'redactKinds_phone'],
  address: ['redactKind_address', 'redactKinds_address'],
  custom: ['redactKind_custom', 'redactKinds_custom'],
  name: ['redactKind_name', 'redactKinds_name'],
  place: ['redactKind_place', 'redactKinds_place'],
};

/** The kind's name, lower case, for one or for several. */
export const kindName = (kind: SpanKind, count: number): string => t(NAMES[kind][count === 1 ? 0 : 1]);
