/**
 * SQLite side of the chunk engine (../chunk-engine.ts): the tables and the statements behind the
 * ChunkRepo interface. Writes run inside one better-sqlite3 transaction, synchronously, so the
 * engine's steps cost no event-loop turns here.
 */
import type Database from "better-sqlite3";
import { ChunkEngine } from "../chunk-engine.js";
import {
  type AggRow,
  type ChunkMeta,
  type ChunkRepo,
  type ChunkRow,
  type NewChunk,
  type PlotRow,
  runSync,
  type Steps,
} from "../chunk-repo.js";
import { runnerFor, type TxGate } from "./gate.js";

/**
 * Timeseries tables, one migration step per string (the lead's migrate() runs them as family
 * "timeseries"). Never edit a published step; append new ones.
 */
export const TIMESERIES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE timeseries (
     sid INTEGER PRIMARY KEY,
     object_id TEXT NOT NULL UNIQUE REFERENCES objects(id) ON DELETE CASCADE,
     n INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE timeseries_chunks (
     id INTEGER PRIMARY KEY,
     sid INTEGER NOT NULL REFERENCES timeseries(sid) ON DELETE CASCADE,
     t0 REAL NOT NULL,
     t1 REAL NOT NULL,
     tend REAL NOT NULL,
     n INTEGER NOT NULL,
     first_d REAL,
     last_d REAL,
     min_t REAL,
     min_d REAL,
     max_t REAL,
     max_d REAL,
     data BLOB NOT NULL
   );
   CREATE INDEX timeseries_chunks_span ON timeseries_chunks(sid, t0, t1, tend, n);`,
  // Sum, minimum, maximum and total duration of numeric chunks (with or without durations), so
  // windowed aggregates add whole chunks without decoding them. NULL for older chunks: decoded.
  `ALTER TABLE timeseries_chunks ADD COLUMN agg_sum REAL;
   ALTER TABLE timeseries_chunks ADD COLUMN agg_min REAL;
   ALTER TABLE timeseries_chunks ADD COLUMN agg_max REAL;
   ALTER TABLE timeseries_chunks ADD COLUMN agg_dt REAL;`,
];

function statements(db: Database.Database) {
  const meta = "id, t0, t1, tend, n";
  return {
    sid: db.prepare<[string], { sid: number; n: number }>(
      "SELECT sid, n FROM timeseries WHERE object_id = ?",
    ),
    createSeries: db.prepare<[string]>(
      "INSERT INTO timeseries (object_id) VALUES (?) ON CONFLICT DO NOTHING",
    ),
    addCount: db.prepare<[number, number]>("UPDATE timeseries SET n = n + ? WHERE sid = ?"),
    chunkData: db.prepare<[number], { data: Uint8Array }>("SELECT data FROM timeseries_chunks WHERE id = ?"),
    // The chunk holding (or preceding) time v: largest t0 <= v.
    startT0: db.prepare<[number, number], { t0: number | null }>(
      "SELECT max(t0) AS t0 FROM timeseries_chunks WHERE sid = ? AND t0 <= ?",
    ),
    prevChunk: db.prepare<[number, number], ChunkMeta>(
      `SELECT ${meta} FROM timeseries_chunks WHERE sid = ? AND t0 < ? ORDER BY t0 DESC LIMIT 1`,
    ),
    nextChunk: db.prepare<[number, number], ChunkMeta>(
      `SELECT ${meta} FROM timeseries_chunks WHERE sid = ? AND t0 > ? ORDER BY t0 LIMIT 1`,
    ),
    page: db.prepare<[{ sid: number; from: number; to: number; limit: number }], ChunkRow>(
      `SELECT ${meta}, data FROM timeseries_chunks
       WHERE sid = @sid AND t0 >= coalesce((SELECT max(t0) FROM timeseries_chunks WHERE sid = @sid AND t0 <= @from), -9e999)
         AND t0 <= @to ORDER BY t0 LIMIT @limit`,
    ),
    metaRange: db.prepare<[number, number, number], ChunkMeta>(
      `SELECT ${meta} FROM timeseries_chunks WHERE sid = ? AND t0 >= ? AND t0 <= ? ORDER BY t0`,
    ),
    // Raw arrays: a 10M-point plot reads ~10k summaries, and objects per row cost twice as much.
    plotRange: db
      .prepare<[number, number, number], PlotRow>(
        `SELECT ${meta}, first_d, last_d, min_t, min_d, max_t, max_d FROM timeseries_chunks
         WHERE sid = ? AND t0 >= ? AND t0 <= ? ORDER BY t0`,
      )
      .raw(true),
    aggRange: db
      .prepare<[number, number, number], AggRow>(
        `SELECT ${meta}, first_d, last_d, agg_sum, agg_min, agg_max, agg_dt FROM timeseries_chunks
         WHERE sid = ? AND t0 >= ? AND t0 <= ? ORDER BY t0`,
      )
      .raw(true),
    countsAsc: db.prepare<[number], { id: number; n: number }>(
      "SELECT id, n FROM timeseries_chunks WHERE sid = ? ORDER BY t0",
    ),
    countsDesc: db.prepare<[number], { id: number; n: number }>(
      "SELECT id, n FROM timeseries_chunks WHERE sid = ? ORDER BY t0 DESC",
    ),
    deleteChunk: db.prepare<[number]>("DELETE FROM timeseries_chunks WHERE id = ?"),
    insertChunk: db.prepare(
      `INSERT INTO timeseries_chunks
         (sid, t0, t1, tend, n, first_d, last_d, min_t, min_d, max_t, max_d, data, agg_sum, agg_min, agg_max, agg_dt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    dropChunks: db.prepare<[string]>(
      "DELETE FROM timeseries_chunks WHERE sid IN (SELECT sid FROM timeseries WHERE object_id = ?)",
    ),
    dropSeries: db.prepare<[string]>("DELETE FROM timeseries WHERE object_id = ?"),
  };
}

/** SQLite numbers its series (`sid`); the engine passes that key back unchanged. */
class SqliteChunkRepo implements ChunkRepo {
  private readonly st: ReturnType<typeof statements>;
  private touch: Database.Statement<[string, number, string]> | undefined;

  constructor(private readonly db: Database.Database) {
    this.st = statements(db);
  }

  series(objectId: string) {
    return this.st.sid.get(objectId);
  }
  createSeries(objectId: string) {
    this.st.createSeries.run(objectId);
  }
  addCount(sid: number, delta: number) {
    this.st.addCount.run(delta, sid);
  }
  chunkData(_sid: number, id: number) {
    return this.st.chunkData.get(id)!.data;
  }
  chunksData(_sid: number, ids: readonly number[]) {
    // In process, a statement per chunk costs no round trip.
    return ids.map((id) => this.st.chunkData.get(id)!.data);
  }
  startT0(sid: number, v: number) {
    return this.st.startT0.get(sid, v)?.t0 ?? null;
  }
  prevChunk(sid: number, t0: number) {
    return this.st.prevChunk.get(sid, t0);
  }
  nextChunk(sid: number, t0: number) {
    return this.st.nextChunk.get(sid, t0);
  }
  page(sid: number, from: number, to: number, limit: number) {
    return this.st.page.all({ sid, from, to, limit });
  }
  metaRange(sid: number, from: number, to: number) {
    return this.st.metaRange.all(sid, from, to);
  }
  plotRange(sid: number, from: number, to: number) {
    return this.st.plotRange.all(sid, from, to) as unknown as PlotRow[];
  }
  aggRange(sid: number, from: number, to: number) {
    return this.st.aggRange.all(sid, from, to) as unknown as AggRow[];
  }
  counts(sid: number, descending: boolean) {
    return (descending ? this.st.countsDesc : this.st.countsAsc).all(sid);
  }
  deleteChunks(_sid: number, ids: readonly number[]) {
    for (const id of ids) this.st.deleteChunk.run(id);
  }
  insertChunks(sid: number, chunks: readonly NewChunk[]) {
    for (const { stats: s, firstD, lastD, sums, data } of chunks) {
      this.st.insertChunk.run(
        sid,
        s.t0,
        s.t1,
        s.tend,
        s.n,
        firstD,
        lastD,
        s.m4?.minT ?? null,
        s.m4?.minD ?? null,
        s.m4?.maxT ?? null,
        s.m4?.maxD ?? null,
        data,
        sums?.sum ?? null,
        sums?.min ?? null,
        sums?.max ?? null,
        sums?.dt ?? null,
      );
    }
  }
  dropObject(objectId: string) {
    this.st.dropChunks.run(objectId);
    this.st.dropSeries.run(objectId);
  }
  touchObject(objectId: string, lastModified: string, modifiedAt: number) {
    // Prepared on first use: a database of timeseries tables alone (the storage bench) has no
    // objects table, and never touches one.
    this.touch ??= this.db.prepare<[string, number, string]>(
      "UPDATE objects SET last_modified = ?, modified_at = ? WHERE id = ?",
    );
    this.touch.run(lastModified, modifiedAt, objectId);
  }
}

/**
 * The chunk engine over SQLite. `gate` is the connection's transaction gate (./gate.ts): null for
 * the store view that runs inside a transaction, where statements go straight to the connection.
 */
export class SqliteTimeseriesStore extends ChunkEngine {
  constructor(db: Database.Database, options: { chunkSize?: number; gate?: TxGate | null } = {}) {
    const repo = new SqliteChunkRepo(db) as unknown as ChunkRepo;
    const run = runnerFor(options.gate ?? null);
    const write = db.transaction(<T>(steps: Steps<T>) => runSync(repo, steps));
    super(
      {
        read: <T>(steps: Steps<T>) => run(() => runSync(repo, steps)),
        write: <T>(steps: Steps<T>) => run(() => write(steps) as T),
      },
      options,
    );
  }
}
