import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCheckpointer } from '../../../../main/core/store/checkpointer';
import { openDatabase, type Database } from '../../../../main/core/store/db';
import { useTempDir } from './temp-dir';

const tempDir = useTempDir();
let db: Database | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
  vi.useRealTimers();
});

function writePages(d: Database, rows: number): void {
  d.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = d.prepare('INSERT INTO filler (body) VALUES (?)');
  for (let i = 0; i < rows; i++) d.transaction(() => insert.run('x'.repeat(3000)))();
}

describe('startCheckpointer', () => {
  it('raises the automatic checkpoint to a backstop so commits do not pay for it', () => {
    db = openDatabase(join(tempDir(), 'a.sqlite'));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const cp = startCheckpointer(db, { backstopPages: 5000 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(5000);
    // 1,500 single-row commits of ~1 page each: SQLite's default would have checkpointed
    // (and restarted the WAL) once, so the WAL would hold fewer than 1,000 frames.
    writePages(db, 1500);
    expect(statSync(`${db.name}-wal`).size).toBeGreaterThan(1000 * 4096);
    cp.stop();
  });

  it('copies the WAL back on its timer, between requests', () => {
    vi.useFakeTimers();
    db = openDatabase(join(tempDir(), 'b.sqlite'));
    const cp = startCheckpointer(db, { intervalMs: 500 });
    writePages(db, 200);
    const pragma = vi.spyOn(db, 'pragma');
    vi.advanceTimersByTime(499);
    expect(pragma).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(pragma).toHaveBeenCalledWith('wal_checkpoint(PASSIVE)');
    expect(pragma.mock.results[0]!.value).toEqual([
      expect.objectContaining({ busy: 0, log: expect.any(Number) }),
    ]);
    const [row] = pragma.mock.results[0]!.value as { log: number; checkpointed: number }[];
    expect(row!.log).toBeGreaterThan(0);
    expect(row!.checkpointed).toBe(row!.log);
    cp.stop();
  });

  it('tick reports what is left; a stopped checkpointer no longer ticks', () => {
    vi.useFakeTimers();
    db = openDatabase(join(tempDir(), 'c.sqlite'));
    const cp = startCheckpointer(db, { intervalMs: 100 });
    writePages(db, 50);
    expect(cp.tick()).toBe(0);
    cp.stop();
    const spy = vi.spyOn(db, 'pragma');
    vi.advanceTimersByTime(1000);
    expect(spy).not.toHaveBeenCalled();
  });

  it('leaves an in-memory database alone', () => {
    db = openDatabase(':memory:');
    const cp = startCheckpointer(db);
    expect(cp.tick()).toBe(0);
    cp.stop();
  });
});
