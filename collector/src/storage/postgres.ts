import pg from 'pg';
import { planUpsert, type Storage } from './storage.js';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS participants (
    id text PRIMARY KEY,
    token_hash text NOT NULL UNIQUE,
    consent_version integer NOT NULL,
    enrolled_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS conversations (
    participant_id text NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    conversation_id text NOT NULL,
    -- text, not jsonb: the export gives back the exact line, key order included.
    line text NOT NULL,
    created_at_ms bigint NOT NULL,
    consent_version integer NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (participant_id, conversation_id)
  );
  CREATE INDEX IF NOT EXISTS conversations_by_created ON conversations (created_at_ms, conversation_id);
`;

/** For studies that already run PostgreSQL, or want backups and replicas of their own. */
export async function openPostgres(connectionString: string): Promise<Storage> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  await pool.query(SCHEMA);

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    async enrol({ id, tokenHash, consentVersion }) {
      await pool.query('INSERT INTO participants (id, token_hash, consent_version) VALUES ($1, $2, $3)', [
        id,
        tokenHash,
        consentVersion,
      ]);
    },
    async participantByTokenHash(tokenHash) {
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM participants WHERE token_hash = $1', [tokenHash]);
      return rows[0]?.id ?? null;
    },
    submit: (participantId, consentVersion, conversations) =>
      transaction(async (client) => {
        // FOR UPDATE holds the participant's rows, so two uploads of the same conversation count once each.
        const { rows } = await client.query<{ conversation_id: string; line: string }>(
          `SELECT conversation_id, line FROM conversations
           WHERE participant_id = $1 AND conversation_id = ANY($2::text[]) FOR UPDATE`,
          [participantId, conversations.map((c) => c.id)],
        );
        const { writes, counts } = planUpsert(new Map(rows.map((r) => [r.conversation_id, r.line])), conversations);
        if (writes.length > 0) {
          // One statement for the whole batch, however large.
          await client.query(
            `INSERT INTO conversations (participant_id, conversation_id, line, created_at_ms, consent_version)
             SELECT $1, w.id, w.line, w.created_at_ms, $2
             FROM unnest($3::text[], $4::text[], $5::bigint[]) AS w (id, line, created_at_ms)
             ON CONFLICT (participant_id, conversation_id) DO UPDATE SET
               line = excluded.line, created_at_ms = excluded.created_at_ms,
               consent_version = excluded.consent_version, received_at = now()`,
            [
              participantId,
              consentVersion,
              writes.map((w) => w.id),
              writes.map((w) => w.line),
              writes.map((w) => w.createdAtMs),
            ],
          );
        }
        return counts;
      }),
    async deleteConversation(participantId, conversationId) {
      const { rowCount } = await pool.query('DELETE FROM conversations WHERE participant_id = $1 AND conversation_id = $2', [
        participantId,
        conversationId,
      ]);
      return rowCount ?? 0;
    },
    deleteParticipant: (participantId) =>
      transaction(async (client) => {
        const { rowCount } = await client.query('DELETE FROM conversations WHERE participant_id = $1', [participantId]);
        await client.query('DELETE FROM participants WHERE id = $1', [participantId]);
        return rowCount ?? 0;
      }),
    async exportLines() {
      const { rows } = await pool.query<{ line: string }>(
        'SELECT line FROM conversations ORDER BY created_at_ms, conversation_id, participant_id',
      );
      return rows.map((r) => r.line);
    },
    close: () => pool.end(),
  };
}
