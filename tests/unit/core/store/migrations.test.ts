import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase, StoreError, type Database } from '../../../../main/core/store/db';
import { migrations, type Migration } from '../../../../main/core/store/migrations';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();

const [initial] = migrations as [Migration];
const addEmail: Migration = {
  version: 2,
  name: 'test-email',
  up: (db) => db.exec('ALTER TABLE customers ADD COLUMN email TEXT'),
};
const failing: Migration = {
  version: 2,
  name: 'test-failing',
  up: (db) => {
    db.exec('CREATE TABLE half_done (x INTEGER)');
    db.exec('INSERT INTO customers (id) VALUES (NULL)'); // violates NOT NULL
  },
};

function version(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function tables(db: Database): string[] {
  return db
    .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .pluck()
    .all();
}

function insertCustomer(db: Database, id: string): void {
  db.prepare(
    `INSERT INTO customers (id, name, segment, created_at, updated_at)
     VALUES (?, '山田 太郎', 'heavy', 1, 1)`,
  ).run(id);
}

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('openDatabase', () => {
  it('brings a fresh database to the latest schema with the connection settings', () => {
    const file = join(tempDir(), 'agent.db');
    const db = openDatabase(file);
    try {
      expect(version(db)).toBe(migrations.length);
      expect(tables(db)).toEqual([
        'attempts',
        'callbacks',
        'campaigns',
        'customer_phones',
        'customers',
        'dispositions',
        'interactions',
        'note_versions',
        'notes',
        'notices',
        'opt_outs',
        'outbox',
        'script_answers',
        'script_sessions',
        'settings',
        'sqlite_sequence',
        'sync_cursors',
      ]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('creates a missing parent folder', () => {
    const file = join(tempDir(), 'a', 'b', 'c', 'agent.db');
    openDatabase(file).close();
    expect(existsSync(file)).toBe(true);
  });

  it.skipIf(process.platform === 'win32')(
    'keeps the file and its WAL private to the OS account (0600, folder 0700)',
    () => {
      const dir = join(tempDir(), 'private');
      const file = join(dir, 'agent.db');
      const db = openDatabase(file);
      try {
        db.exec("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 1)");
        expect(statSync(dir).mode & 0o777).toBe(0o700);
        for (const f of [file, `${file}-wal`, `${file}-shm`]) {
          expect(statSync(f).mode & 0o777, f).toBe(0o600);
        }
      } finally {
        db.close();
      }
    },
  );

  it('opens :memory: for tests and tools', () => {
    const db = openDatabase(':memory:');
    expect(version(db)).toBe(migrations.length);
    db.close();
  });

  it('reopening an up-to-date database changes nothing', () => {
    const file = join(tempDir(), 'agent.db');
    const db = openDatabase(file);
    insertCustomer(db, 'c1');
    db.close();
    const again = openDatabase(file);
    expect(version(again)).toBe(migrations.length);
    expect(again.prepare('SELECT count(*) FROM customers').pluck().get()).toBe(1);
    again.close();
  });

  it('the shipped 0002 migration upgrades a version-1 database and keeps its calls', () => {
    const file = join(tempDir(), 'agent.db');
    const v1 = openDatabase(file, { migrations: [initial] });
    insertCustomer(v1, 'c1');
    v1.prepare(
      `INSERT INTO interactions (id, customer_id, kind, direction, number, started_at)
       VALUES ('call-1', 'c1', 'call', 'inbound', '+81355550101', 1000)`,
    ).run();
    v1.close();
    const latest = openDatabase(file);
    try {
      expect(version(latest)).toBe(migrations.length);
      expect(latest.prepare('SELECT id, quality_mos FROM interactions').all()).toEqual([
        { id: 'call-1', quality_mos: null },
      ]);
    } finally {
      latest.close();
    }
  });

  it('upgrades from version 1 to 2 and keeps the data', () => {
    const file = join(tempDir(), 'agent.db');
    const v1 = openDatabase(file, { migrations: [initial] });
    insertCustomer(v1, 'c1');
    v1.close();

    const lines: string[] = [];
    const log = {
      debug: () => {},
      info: (msg: string, f?: Record<string, unknown>) => lines.push(`${msg} ${f?.version}`),
      warn: () => {},
      error: () => {},
    };
    const v2 = openDatabase(file, { migrations: [initial, addEmail], log });
    try {
      expect(version(v2)).toBe(2);
      expect(v2.prepare('SELECT id, name, email FROM customers').all()).toEqual([
        { id: 'c1', name: '山田 太郎', email: null },
      ]);
      expect(lines).toEqual(['store: migrated 2']);
    } finally {
      v2.close();
    }
  });

  it('rolls a failing migration back and leaves the database at the old version', () => {
    const file = join(tempDir(), 'agent.db');
    const v1 = openDatabase(file, { migrations: [initial] });
    insertCustomer(v1, 'c1');
    v1.close();

    const err = storeError(() => openDatabase(file, { migrations: [initial, failing] }));
    expect(err.code).toBe('migration_failed');
    expect(err.message).toMatch(/Migration 2 \(test-failing\) failed: .*NOT NULL/);
    expect(err.message).toMatch(/left at schema 1/);
    expect(err.cause).toBeInstanceOf(Error);

    const after = openDatabase(file, { migrations: [initial] });
    try {
      expect(version(after)).toBe(1);
      expect(tables(after)).not.toContain('half_done');
      expect(after.prepare('SELECT id FROM customers').pluck().all()).toEqual(['c1']);
    } finally {
      after.close();
    }
  });

  it('refuses a migration list with a gap before touching the file', () => {
    const file = join(tempDir(), 'agent.db');
    const gap: Migration = { ...addEmail, version: 3 };
    const err = storeError(() => openDatabase(file, { migrations: [initial, gap] }));
    expect(err.code).toBe('migration_failed');
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a database from a newer version and leaves it byte-identical', () => {
    const file = join(tempDir(), 'agent.db');
    const future = new BetterSqlite3(file);
    future.pragma('journal_mode = WAL');
    future.exec('CREATE TABLE future_things (x)');
    future.pragma('user_version = 99');
    future.close();
    const before = readFileSync(file);

    const err = storeError(() => openDatabase(file));
    expect(err.code).toBe('future_version');
    expect(err.message).toContain(
      `database was written by a newer version (schema 99, this app knows ${migrations.length})`,
    );
    expect(err.message).toContain(file);
    expect(err.file).toBe(file);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite and leaves it byte-identical', () => {
    const file = join(tempDir(), 'agent.db');
    const garbage = Buffer.from('これはデータベースではありません — not a database\n'.repeat(200));
    writeFileSync(file, garbage);

    const err = storeError(() => openDatabase(file));
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/Nothing was changed or deleted/);
    expect(readFileSync(file).equals(garbage)).toBe(true);
  });

  it('refuses a truncated database and leaves it byte-identical', () => {
    const file = join(tempDir(), 'agent.db');
    const db = openDatabase(file);
    const insert = db.prepare(
      `INSERT INTO customers (id, name, segment, created_at, updated_at)
       VALUES (?, ?, 'new', 1, 1)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`c${i}`, `顧客 ${i}`);
    })();
    db.close();
    const whole = readFileSync(file);
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    writeFileSync(file, truncated);

    const err = storeError(() => openDatabase(file));
    expect(err.code).toBe('corrupt');
    expect(readFileSync(file).equals(truncated)).toBe(true);
  });

  it('refuses a database whose pages are damaged (found by quick_check)', () => {
    const file = join(tempDir(), 'agent.db');
    const db = openDatabase(file);
    const insert = db.prepare(
      `INSERT INTO customers (id, name, segment, created_at, updated_at)
       VALUES (?, ?, 'new', 1, 1)`,
    );
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`c${i}`, `顧客 ${i}`);
    })();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(file);
    // Scribble over a page in the middle, keeping the file header intact.
    const page = Math.floor(bytes.length / pageSize / 2);
    bytes.fill(0xa5, page * pageSize, (page + 1) * pageSize);
    writeFileSync(file, bytes);

    const err = storeError(() => openDatabase(file));
    expect(err.code).toBe('corrupt');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a database whose rows break its own constraints (quick_check findings)', () => {
    const file = join(tempDir(), 'agent.db');
    const raw = new BetterSqlite3(file);
    raw.exec('CREATE TABLE t (x); INSERT INTO t VALUES (NULL)');
    // Rewrite the schema behind SQLite's back so the stored row violates it.
    raw.unsafeMode(true);
    raw.pragma('writable_schema = ON');
    raw.exec("UPDATE sqlite_schema SET sql = 'CREATE TABLE t (x NOT NULL)' WHERE name = 't'");
    raw.close();
    const before = readFileSync(file);

    const err = storeError(() => openDatabase(file));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/NULL value in t\.x/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports an unusable path as io', () => {
    const dir = tempDir();
    const folder = join(dir, 'agent.db');
    mkdirSync(folder);
    expect(storeError(() => openDatabase(folder)).code).toBe('io');

    const notAFolder = join(dir, 'file');
    writeFileSync(notAFolder, 'x');
    expect(storeError(() => openDatabase(join(notAFolder, 'agent.db'))).code).toBe('io');
  });
});
