import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import type { Storage } from './storage.js';

/** A postgres:// (or postgresql://) URL opens PostgreSQL; anything else is a SQLite file path. */
export const openStorage = (database: string): Promise<Storage> =>
  /^postgres(ql)?:\/\//.test(database) ? openPostgres(database) : Promise.resolve(openSqlite(database));
