/**
 * Writes timeseries reads as JSON bytes, piece by piece (contract 8.2 output form: keys t, dt only
 * when non-zero, d). Numbers come out exactly as JSON.stringify prints them; when a column is
 * stored as decimals (value = k / 10^p) the digits are produced from the integer k, which is
 * several times faster than converting each double (measured by src/bench).
 */
import { datapointJson, type Point } from "../../core/datapoint.js";
import type { PointBatch } from "../store/timeseries.js";

const C_OPEN_T = bytes('{"t":');
const C_DT = bytes(',"dt":');
const C_D = bytes(',"d":');

function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** 10^p as integers for p = 0..22 (exact doubles). */
const POW10 = Array.from({ length: 23 }, (_, p) => 10 ** p);

export class JsonPieceWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly digits = new Uint8Array(24);
  private readonly pieces: Buffer[] = [];

  constructor(private readonly pieceSize: number) {
    this.buf = Buffer.allocUnsafe(pieceSize);
  }

  /** Completed pieces since the last call. */
  take(): Buffer[] {
    return this.pieces.splice(0, this.pieces.length);
  }

  /** Moves the current bytes into a piece (ends the writer when `final`). */
  flush(): void {
    if (this.pos === 0) return;
    this.pieces.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(this.pieceSize);
    this.pos = 0;
  }

  get pending(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
    }
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Any string (UTF-8). */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  /** ASCII-only string, e.g. a number's String(). */
  ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    this.pos = pos;
  }

  /** A finite double as JSON.stringify prints it. */
  number(v: number): void {
    this.room(48);
    this.numberUnchecked(v);
  }

  /**
   * The number k / 10^p (k an integer, |k| < 2^53) as JSON.stringify prints it. Exact because a
   * decimal with at most 15 significant digits is the shortest text that round-trips its double;
   * other cases (16 digits, or below 1e-6 where JS switches to exponents) go through String().
   */
  decimal(k: number, p: number): void {
    this.room(48);
    this.decimalUnchecked(k, p);
  }

  /** A double, assuming 48 bytes of room. */
  private numberUnchecked(v: number): void {
    if (Number.isInteger(v) && v < 1e15 && v > -1e15) {
      this.decimalUnchecked(v, 0);
    } else {
      const s = String(v);
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
    }
  }

  /** decimal(), assuming 48 bytes of room (a sign, 16 digits, a point and up to 21 zeros fit). */
  private decimalUnchecked(k: number, p: number): void {
    if (k === 0) {
      this.buf[this.pos++] = 48;
      return;
    }
    while (p > 0 && k % 10 === 0) {
      k /= 10;
      p--;
    }
    const neg = k < 0;
    let a = neg ? -k : k;
    if (a >= 1e15 || (p > 6 && a < POW10[p - 6]!)) {
      const s = String((neg ? -a : a) / POW10[p]!);
      const buf = this.buf;
      let pos = this.pos;
      for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
      this.pos = pos;
      return;
    }
    // Digits of a, least significant first.
    const dg = this.digits;
    let len = 0;
    if (a >= 2147483648) {
      const hi = Math.floor(a / 1e8);
      let lo = a - hi * 1e8;
      for (let i = 0; i < 8; i++) {
        dg[len++] = 48 + (lo % 10);
        lo = (lo / 10) | 0;
      }
      a = hi;
    }
    let small = a | 0;
    do {
      dg[len++] = 48 + (small % 10);
      small = (small / 10) | 0;
    } while (small > 0);
    const buf = this.buf;
    let pos = this.pos;
    if (neg) buf[pos++] = 45;
    if (p === 0) {
      for (let i = len - 1; i >= 0; i--) buf[pos++] = dg[i]!;
    } else if (len > p) {
      for (let i = len - 1; i >= p; i--) buf[pos++] = dg[i]!;
      buf[pos++] = 46;
      for (let i = p - 1; i >= 0; i--) buf[pos++] = dg[i]!;
    } else {
      buf[pos++] = 48;
      buf[pos++] = 46;
      for (let i = p; i > len; i--) buf[pos++] = 48;
      for (let i = len - 1; i >= 0; i--) buf[pos++] = dg[i]!;
    }
    this.pos = pos;
  }

  /** The points of a batch, each preceded by "," unless `first`. */
  batch(b: PointBatch, first: boolean): void {
    const { n, t, dt, d } = b;
    const tk = b.tDecimal;
    const dk = b.dDecimal;
    if (dt === null && d instanceof Float64Array) {
      // Numbers without durations: one room check per point, constants written inline.
      for (let i = 0; i < n; i++) {
        this.room(112);
        const buf = this.buf;
        let pos = this.pos;
        if (i > 0 || !first) buf[pos++] = 44;
        buf[pos++] = 123; // {"t":
        buf[pos++] = 34;
        buf[pos++] = 116;
        buf[pos++] = 34;
        buf[pos++] = 58;
        this.pos = pos;
        if (tk) this.decimalUnchecked(tk.k[i]!, tk.p);
        else this.numberUnchecked(t[i]!);
        pos = this.pos;
        buf[pos++] = 44; // ,"d":
        buf[pos++] = 34;
        buf[pos++] = 100;
        buf[pos++] = 34;
        buf[pos++] = 58;
        this.pos = pos;
        if (dk) this.decimalUnchecked(dk.k[i]!, dk.p);
        else this.numberUnchecked(d[i]!);
        buf[this.pos++] = 125;
      }
      return;
    }
    const numeric = d instanceof Float64Array;
    for (let i = 0; i < n; i++) {
      if (i > 0 || !first) this.byte(44);
      this.raw(C_OPEN_T);
      if (tk) this.decimal(tk.k[i]!, tk.p);
      else this.number(t[i]!);
      if (dt !== null && dt[i] !== 0) {
        this.raw(C_DT);
        this.number(dt[i]!);
      }
      this.raw(C_D);
      if (dk) this.decimal(dk.k[i]!, dk.p);
      else if (numeric) this.number(d[i] as number);
      else this.text(JSON.stringify(d[i]) ?? "null");
      this.byte(125);
    }
  }

  /** One point (transform output). */
  point(p: Point, first: boolean): void {
    if (!first) this.byte(44);
    this.text(datapointJson(p.t, p.dt, p.d));
  }
}
