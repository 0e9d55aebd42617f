import Database from 'better-sqlite3';
import { planUpsert, type Storage, type StoredConversation } from './storage.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    consent_version INTEGER NOT NULL,
    enrolled_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS conversations (
    participant_id TEXT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    line TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    consent_version INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (participant_id, conversation_id)
  );
  CREATE INDEX IF NOT EXISTS conversations_by_created ON conversations (created_at_ms, conversation_id);
`;

/** The embedded default: one file, no server to run. */
export function openSqlite(path: string): Storage {
  const db = new Database(path);
  // WAL lets the export read while uploads write; foreign keys make a withdrawal take the data along.
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const insertParticipant = db.prepare(
    'INSERT INTO participants (id, token_hash, consent_version, enrolled_at) VALUES (?, ?, ?, ?)',
  );
  const selectParticipant = db.prepare<[string], { id: string }>('SELECT id FROM participants WHERE token_hash = ?');
  const selectLine = db.prepare<[string, string], { line: string }>(
    'SELECT line FROM conversations WHERE participant_id = ? AND conversation_id = ?',
  );
  const upsert = db.prepare(`
    INSERT INTO conversations (participant_id, conversation_id, line, created_at_ms, consent_version, received_at)
    VALUES (@participantId, @id, @line, @createdAtMs, @consentVersion, @receivedAt)
    ON CONFLICT (participant_id, conversation_id) DO UPDATE SET
      line = excluded.line, created_at_ms = excluded.created_at_ms,
      consent_version = excluded.consent_version, received_at = excluded.received_at
  `);
  const deleteOne = db.prepare('DELETE FROM conversations WHERE participant_id = ? AND conversation_id = ?');
  const deleteAll = db.prepare('DELETE FROM conversations WHERE participant_id = ?');
  const deletePerson = db.prepare('DELETE FROM participants WHERE id = ?');
  const selectAll = db.prepare<[], { line: string }>(
    'SELECT line FROM conversations ORDER BY created_at_ms, conversation_id, participant_id',
  );

  const submit = db.transaction((participantId: string, consentVersion: number, conversations: StoredConversation[]) => {
    const existing = new Map<string, string>();
    for (const { id } of conversations) {
      const row = selectLine.get(participantId, id);
      if (row) existing.set(id, row.line);
    }
    const { writes, counts } = planUpsert(existing, conversations);
    const receivedAt = new Date().toISOString();
    for (const c of writes) upsert.run({ participantId, consentVersion, receivedAt, ...c });
    return counts;
  });
  const withdraw = db.transaction((participantId: string) => {
    const { changes } = deleteAll.run(participantId);
    deletePerson.run(participantId);
    return changes;
  });

  return {
    async enrol({ id, tokenHash, consentVersion }) {
      insertParticipant.run(id, tokenHash, consentVersion, new Date().toISOString());
    },
    async participantByTokenHash(tokenHash) {
      return selectParticipant.get(tokenHash)?.id ?? null;
    },
    async submit(participantId, consentVersion, conversations) {
      return submit(participantId, consentVersion, conversations);
    },
    async deleteConversation(participantId, conversationId) {
      return deleteOne.run(participantId, conversationId).changes;
    },
    async deleteParticipant(participantId) {
      return withdraw(participantId);
    },
    async exportLines() {
      return selectAll.all().map((row) => row.line);
    },
    async close() {
      db.close();
    },
  };
}
