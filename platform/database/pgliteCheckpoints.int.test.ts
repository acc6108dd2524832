// PGlite has no checkpointer process: unless the adapter checkpoints, WAL segments are never
// recycled and the embedded database's in-memory files grow by every byte ever written
// (`npm start` runs for hours on it).
import { describe, expect, it } from 'vitest';
import type { Database } from './Database.js';
import { createPgliteDatabase } from './createPgliteDatabase.js';

/** Writes about 100 MB of WAL in rounds, pausing after each so a timer can fire, and returns the WAL segments left. */
async function segmentsAfterWriting(db: Database): Promise<number> {
  await db.query('create table t (id int primary key, v text)');
  for (let round = 0; round < 20; round++) {
    await db.query(`insert into t select g + $1::int, repeat('x', 500) from generate_series(1, 8000) g`, [round * 8000]);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
  const { rows } = await db.query<{ segments: number }>('select count(*)::int as segments from pg_ls_waldir()');
  return rows[0]!.segments;
}

describe('the embedded database (PGlite)', () => {
  it('checkpoints on its own, so its WAL is recycled instead of growing with everything written', async () => {
    const never = await createPgliteDatabase({ checkpointEveryMs: 0 });
    const often = await createPgliteDatabase({ checkpointEveryMs: 50 });
    try {
      const { rows: before } = await often.query<{ lsn: string }>('select checkpoint_lsn::text as lsn from pg_control_checkpoint()');
      const withoutCheckpoints = await segmentsAfterWriting(never);
      const withCheckpoints = await segmentsAfterWriting(often);
      const { rows: after } = await often.query<{ lsn: string }>('select checkpoint_lsn::text as lsn from pg_control_checkpoint()');
      expect(after[0]!.lsn).not.toBe(before[0]!.lsn);
      expect(withoutCheckpoints).toBeGreaterThanOrEqual(6);
      expect(withCheckpoints).toBeLessThanOrEqual(4);
    } finally {
      await Promise.all([never.close(), often.close()]);
    }
  });

  it('closes cleanly with its checkpoint timer running, and a second close is harmless', async () => {
    const db = await createPgliteDatabase({ checkpointEveryMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await db.close();
    await db.close();
  });
});
