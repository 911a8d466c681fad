/**
 * Parses a JSON array as its bytes arrive, handing out its elements in slabs, so a 25 MB insert body
 * is never one 25 MB string, one 250 ms `JSON.parse`, or one million objects alive at once.
 *
 * A byte scanner finds element boundaries (tracking strings, escapes and nesting), and each slab of
 * about `slabBytes` of complete elements goes through one native `JSON.parse("[" + slab + "]")`:
 * V8's parser does the real work, so numbers, escapes and errors are exactly JSON's. A hand-written
 * tokenizer would be slower and a second JSON grammar to keep right; no maintained streaming parser
 * on npm hands out whole elements in slabs without building a token stream per value.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

export class JsonArrayStreamError extends Error {
  /** "depth" when an element nests deeper than `maxDepth`, so callers can word that refusal. */
  constructor(
    message: string,
    readonly reason: "syntax" | "depth" = "syntax",
  ) {
    super(message);
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export interface JsonArrayStreamOptions {
  /** Called with each slab of parsed elements, in order, and the JSON text they were parsed from. */
  onElements(elements: unknown[], text: string): void;
  /** Bytes of element text per native parse (default 256 KiB). */
  slabBytes?: number;
  /** Deepest nesting accepted inside an element (default 64); deeper is refused before parsing. */
  maxDepth?: number;
}

export class JsonArrayStream {
  private state: "before" | "inside" | "after" = "before";
  /** Nesting depth inside the current element (0 between elements). */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of complete elements (with their separating commas) not yet parsed. */
  private slab: Buffer[] = [];
  private slabSize = 0;
  /** Bytes of the element being scanned that came from earlier chunks. */
  private partial: Buffer[] = [];
  private elementCount = 0;
  private sawElementSinceComma = false;
  private readonly slabBytes: number;
  private readonly maxDepth: number;

  constructor(private readonly opts: JsonArrayStreamOptions) {
    this.slabBytes = opts.slabBytes ?? 256 * 1024;
    this.maxDepth = opts.maxDepth ?? 64;
  }

  get count(): number {
    return this.elementCount;
  }

  /** Scans one chunk; complete slabs are parsed and handed out before it returns. */
  write(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    if (this.state === "before") {
      while (i < n && isSpace(chunk[i]!)) i++;
      if (i === n) return;
      if (chunk[i] !== OPEN_BRACKET) throw new JsonArrayStreamError("expected a JSON array");
      this.state = "inside";
      i++;
    }
    // Start of the current element's bytes inside this chunk (-1: not inside an element here).
    let start = this.depth > 0 || this.inString || this.partial.length > 0 ? 0 : -1;
    for (; i < n; i++) {
      const b = chunk[i]!;
      if (this.state === "after") {
        if (!isSpace(b)) throw new JsonArrayStreamError("unexpected data after the JSON array");
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) this.inString = false;
        continue;
      }
      if (this.depth > 0) {
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          if (++this.depth > this.maxDepth) {
            throw new JsonArrayStreamError(`JSON nested deeper than ${this.maxDepth} levels`, "depth");
          }
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (--this.depth === 0) {
            this.finishElement(chunk, start, i + 1);
            start = -1;
          }
        }
        continue;
      }
      // Between elements, or inside a scalar element (number, string, literal) at depth 0.
      if (start >= 0 || this.partial.length > 0) {
        // A scalar element ends at a comma, a closing bracket or whitespace.
        if (b === COMMA || b === CLOSE_BRACKET || isSpace(b)) {
          this.finishElement(chunk, start < 0 ? i : start, i);
          start = -1;
        } else {
          if (b === QUOTE) this.inString = true;
          continue;
        }
      }
      if (isSpace(b)) continue;
      if (b === COMMA) {
        if (!this.sawElementSinceComma) throw new JsonArrayStreamError("unexpected ',' in the JSON array");
        this.sawElementSinceComma = false;
        continue;
      }
      if (b === CLOSE_BRACKET) {
        if (!this.sawElementSinceComma && this.elementCount > 0) {
          throw new JsonArrayStreamError("unexpected ']' after ',' in the JSON array");
        }
        this.state = "after";
        continue;
      }
      if (this.sawElementSinceComma) throw new JsonArrayStreamError("expected ',' between array elements");
      start = i;
      if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth = 1;
      else if (b === QUOTE) this.inString = true;
    }
    if (start >= 0 && start < n) this.partial.push(chunk.subarray(start));
  }

  /** Ends the input: parses what is left; throws if the array is incomplete. */
  end(): void {
    if (this.state === "before") throw new JsonArrayStreamError("the body is empty");
    if (this.partial.length > 0 && this.depth === 0 && !this.inString) {
      const rest = Buffer.concat(this.partial);
      this.partial = [];
      this.addElement(rest);
    }
    if (this.state !== "after") throw new JsonArrayStreamError("unexpected end of the JSON array");
    this.flush();
  }

  private finishElement(chunk: Buffer, start: number, end: number): void {
    let bytes = chunk.subarray(start, end);
    if (this.partial.length > 0) {
      this.partial.push(bytes);
      bytes = Buffer.concat(this.partial);
      this.partial = [];
    }
    this.addElement(bytes);
  }

  private addElement(bytes: Buffer): void {
    if (this.slab.length > 0) {
      this.slab.push(Buffer.from(","));
      this.slabSize++;
    }
    this.slab.push(bytes);
    this.slabSize += bytes.length;
    this.elementCount++;
    this.sawElementSinceComma = true;
    if (this.slabSize >= this.slabBytes) this.flush();
  }

  private flush(): void {
    if (this.slab.length === 0) return;
    const text = `[${Buffer.concat(this.slab, this.slabSize).toString("utf8")}]`;
    this.slab = [];
    this.slabSize = 0;
    let parsed: unknown[];
    try {
      parsed = JSON.parse(text) as unknown[];
    } catch (e) {
      throw new JsonArrayStreamError((e as Error).message);
    }
    this.opts.onElements(parsed, text);
  }
}
