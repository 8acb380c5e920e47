// Opens the agent's SQLite database: the source of truth while offline. A file we cannot
// trust (from a newer app, corrupt, not SQLite at all) is refused before anything writes
// to it, so the agent's unsynced notes can still be recovered from it.
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { silentLogger, type Logger } from '../log';
import { migrations as defaultMigrations, type Migration } from './migrations';

export type Database = BetterSqlite3.Database;

export type StoreErrorCode = 'future_version' | 'corrupt' | 'io' | 'migration_failed';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** The database file concerned. */
  readonly file: string;
  constructor(code: StoreErrorCode, file: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

export interface OpenOptions {
  migrations?: Migration[];
  log?: Logger;
}

const BUSY_TIMEOUT_MS = 5000;
const MEMORY = ':memory:';

export function openDatabase(file: string, opts: OpenOptions = {}): Database {
  const log = opts.log ?? silentLogger;
  const list = opts.migrations ?? defaultMigrations;
  const path = file === MEMORY ? MEMORY : resolve(file);
  const latest = checkMigrationList(list, path);

  if (path !== MEMORY) {
    prepareLocation(path);
    // Check an existing file read-only first: a read-only connection cannot write (not even
    // a WAL checkpoint), so a refused file stays byte-identical.
    if (exists(path)) inspect(path, latest, log);
    else createPrivateFile(path);
  }

  const db = connect(path, log);
  try {
    migrate(db, list, latest, path, log);
  } catch (err) {
    db.close();
    throw err instanceof StoreError ? err : classify(err, path, log);
  }
  return db;
}

/** The read-write connection with the settings every caller relies on. */
function connect(path: string, log: Logger): Database {
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL cannot corrupt the database; a power cut (not an app crash) may
    // lose the last commits. Syncing every commit would stall typing and call logging.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // So INSERT OR REPLACE fires DELETE triggers: append-only tables cannot be replaced either.
    db.pragma('recursive_triggers = ON');
    return db;
  } catch (err) {
    db?.close();
    throw classify(err, path, log);
  }
}

/** Refuses unordered or gapped lists: a skipped version would silently never run. */
function checkMigrationList(list: readonly Migration[], path: string): number {
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError(
        'migration_failed',
        path,
        `Migrations must be numbered 1, 2, 3… without gaps; found version ${m.version} (${m.name}) at position ${i + 1}.`,
      );
    }
  });
  return list.length;
}

// The file holds customers' names, numbers and notes: readable by the agent's OS account
// only. The file is created empty with 0600 before SQLite opens it (createPrivateFile), as
// SQLite gives the -wal and -shm files the database file's mode. (Encryption at rest: see
// README, "Data at rest".)
function prepareLocation(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new StoreError(
      'io',
      path,
      `Cannot create the folder for the database ${path}: ${reason(err)}`,
      { cause: err },
    );
  }
}

function createPrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'a', 0o600));
  } catch (err) {
    throw new StoreError('io', path, `Cannot create the database ${path}: ${reason(err)}`, {
      cause: err,
    });
  }
}

function exists(path: string): boolean {
  let st;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (err) {
    throw new StoreError('io', path, `Cannot access the database ${path}: ${reason(err)}`, {
      cause: err,
    });
  }
  if (st && !st.isFile()) {
    throw new StoreError('io', path, `The database path ${path} exists but is not a file.`);
  }
  return st !== undefined;
}

/** Read-only checks on an existing file: is it SQLite, intact, and a schema we know? */
function inspect(path: string, latest: number, log: Logger): void {
  let ro: Database | undefined;
  try {
    ro = new BetterSqlite3(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    const version = ro.pragma('user_version', { simple: true }) as number;
    if (version > latest) {
      log.error('store: database from a newer version refused', { version, latest });
      throw new StoreError(
        'future_version',
        path,
        `The database was written by a newer version (schema ${version}, this app knows ${latest}). ` +
          `Update the app to open it. The file was left untouched at ${path}.`,
      );
    }
    const problems = (ro.pragma('quick_check(5)') as { quick_check: string }[]).map(
      (r) => r.quick_check,
    );
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw corrupt(path, problems.join('; '), undefined, log);
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw classify(err, path, log);
  } finally {
    ro?.close();
  }
}

function migrate(
  db: Database,
  list: readonly Migration[],
  latest: number,
  path: string,
  log: Logger,
): void {
  const current = () => db.pragma('user_version', { simple: true }) as number;
  const start = current();
  // Re-checked here for :memory: and for a file replaced between inspect() and open.
  if (start > latest) {
    throw new StoreError(
      'future_version',
      path,
      `The database was written by a newer version (schema ${start}, this app knows ${latest}). ` +
        `Update the app to open it. The file was left untouched at ${path}.`,
    );
  }
  for (const m of list.slice(start)) {
    const step = db.transaction(() => {
      // Another process may have migrated since we looked; IMMEDIATE serializes us.
      if (current() >= m.version) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step.immediate();
    } catch (err) {
      const at = current();
      log.error('store: migration failed', { version: m.version, name: m.name, error: err });
      throw new StoreError(
        'migration_failed',
        path,
        `Migration ${m.version} (${m.name}) failed: ${reason(err)}. ` +
          `The database was rolled back and left at schema ${at}.`,
        { cause: err },
      );
    }
    log.info('store: migrated', { version: m.version, name: m.name });
  }
}

function classify(err: unknown, path: string, log: Logger = silentLogger): StoreError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) {
    return corrupt(path, reason(err), err, log);
  }
  return new StoreError('io', path, `Cannot open the database ${path}: ${reason(err)}`, {
    cause: err,
  });
}

function corrupt(path: string, detail: string, cause: unknown, log: Logger): StoreError {
  log.error('store: database refused as corrupt', { detail });
  return new StoreError(
    'corrupt',
    path,
    `${path} is not a readable SQLite database (${detail}). Nothing was changed or deleted: ` +
      `the file is still there. Move it aside (or restore a backup) to start with a new database.`,
    { cause },
  );
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
