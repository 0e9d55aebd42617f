import type { SubmissionResponse } from '@thoughttrace/format';

/** One validated conversation as the collector keeps it: the exact JSONL line the export writes. */
export interface StoredConversation {
  id: string;
  line: string;
  /** `created_at` in epoch milliseconds, the export's order. */
  createdAtMs: number;
}

/**
 * What the collector keeps, behind one interface so SQLite and PostgreSQL behave the same.
 * Every method that writes is one transaction: it stores all of its work or none.
 */
export interface Storage {
  enrol(participant: { id: string; tokenHash: string; consentVersion: number }): Promise<void>;
  /** The participant a token hash belongs to, or null (unknown or withdrawn). */
  participantByTokenHash(tokenHash: string): Promise<string | null>;
  /** Upserts a batch keyed by (participant, conversation id), all or nothing. */
  submit(participantId: string, consentVersion: number, conversations: StoredConversation[]): Promise<SubmissionResponse>;
  /** Removes one of the participant's conversations; returns how many were removed (0 or 1). */
  deleteConversation(participantId: string, conversationId: string): Promise<number>;
  /** Removes the participant, their token and all their conversations; returns how many conversations went. */
  deleteParticipant(participantId: string): Promise<number>;
  /** Every stored conversation's line, oldest `created_at` first. */
  exportLines(): Promise<string[]>;
  close(): Promise<void>;
}

/** Splits a batch against what the participant already has: new, changed and unchanged conversations. */
export function planUpsert(existing: Map<string, string>, conversations: StoredConversation[]) {
  const writes: StoredConversation[] = [];
  const counts: SubmissionResponse = { added: 0, replaced: 0, unchanged: 0 };
  for (const conversation of conversations) {
    const before = existing.get(conversation.id);
    if (before === conversation.line) {
      counts.unchanged++;
      continue;
    }
    counts[before === undefined ? 'added' : 'replaced']++;
    writes.push(conversation);
  }
  return { writes, counts };
}
