/**
 * `COPY … FROM STDIN` over a node-postgres client, without pg-copy-streams (not installed): a
 * Submittable that answers the server's CopyInResponse with the given buffers, as
 * pg-copy-streams does, through the same Connection calls (`sendCopyFromChunk`, `endCopyFrom`).
 */
import type pg from "pg";

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyIn {
  private error: Error | undefined;
  private rows = 0;
  constructor(
    private readonly text: string,
    private readonly chunks: readonly Buffer[],
    private readonly done: (error: Error | undefined, rows: number) => void,
  ) {}

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    for (const c of this.chunks) connection.sendCopyFromChunk(c);
    connection.endCopyFrom();
  }
  handleCommandComplete(msg: { text: string }): void {
    this.rows = Number(/^COPY (\d+)/.exec(msg.text)?.[1] ?? 0);
  }
  handleError(error: Error): void {
    this.error = error;
  }
  handleEmptyQuery(): void {}
  handleReadyForQuery(): void {
    this.done(this.error, this.rows);
  }
}

/** Runs `text` (a `COPY … FROM STDIN`) sending `chunks`; resolves to the rows copied. */
export function copyFrom(client: pg.Client, text: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyIn(text, chunks, (e, rows) => (e ? reject(e) : resolve(rows))));
  });
}

/** Text-format COPY rows cut into buffers of about `size` bytes. */
export function copyChunks(lines: Iterable<string>, size = 64 * 1024): Buffer[] {
  const out: Buffer[] = [];
  let part: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    part.push(line);
    bytes += line.length;
    if (bytes >= size) {
      out.push(Buffer.from(part.join("")));
      part = [];
      bytes = 0;
    }
  }
  if (part.length > 0) out.push(Buffer.from(part.join("")));
  return out;
}
