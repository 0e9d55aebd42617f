import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/** Where the tests find PostgreSQL; `.ci/postgres` creates exactly this role and database. */
export const POSTGRES_URL =
  process.env.COLLECTOR_TEST_DATABASE_URL ?? 'postgres://thoughttrace:thoughttrace@127.0.0.1:5432/thoughttrace_test';

/** A database of its own for one collector, and a direct look into it. */
export interface TestDatabase {
  /** What the collector's `database` setting gets. */
  database: string;
  /** Runs SQL on the collector's tables, bypassing the collector, to see what it really stored. */
  rows<T>(sql: string): Promise<T[]>;
  drop(): Promise<void>;
}

export interface Backend {
  name: string;
  /** Why this backend cannot be used here, or null. */
  problem: string | null;
  create(): Promise<TestDatabase>;
}

export const sqlite: Backend = {
  name: 'SQLite',
  problem: null,
  async create() {
    const dir = mkdtempSync(path.join(tmpdir(), 'collector-test-'));
    const file = path.join(dir, 'collector.sqlite');
    return {
      database: file,
      async rows<T>(sql: string) {
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(sql).all() as T[];
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL unreachable at ${POSTGRES_URL} (${(error as Error).message}); start it with bash .ci/postgres`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Each collector gets a fresh schema in the test database, named in its connection URL. */
export const postgres: Backend = {
  name: 'PostgreSQL',
  problem: await postgresProblem(),
  async create() {
    const schema = `collector_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`SET search_path = ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return {
      database: url.toString(),
      async rows<T>(sql: string) {
        return (await admin.query(sql)).rows as T[];
      },
      async drop() {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  },
};
