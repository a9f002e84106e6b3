/**
 * Size and depth of untrusted JSON-ish values, without recursion: JSON.stringify and most tree walks recurse
 * once per level and throw RangeError on input nested a few thousand deep, which a 256 KB PutEvents detail can be.
 */

/** The depth and size of a value's JSON text, or why it has none within the limits. */
export type JsonMeasure =
  | { readonly ok: true; readonly depth: number; readonly bytes: number }
  | { readonly ok: false; readonly reason: 'too-deep' | 'oversized' | 'not-json'; readonly message: string };

type Problem = 'too-deep' | 'circular' | 'bigint' | 'unserializable';

interface Sink {
  /** Takes the next piece of JSON text; false stops the walk. */
  write(text: string): boolean;
  /** JSON text to write instead of a value that has none, or undefined to stop the walk. */
  replace(problem: Problem, detail: string): string | undefined;
}

interface Frame {
  readonly node: object;
  // Object keys; undefined for arrays, whose indexes are walked up to `length`.
  readonly keys: readonly string[] | undefined;
  readonly length: number;
  index: number;
  written: number;
}

const isOmitted = (value: unknown): boolean =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

// JSON.stringify calls toJSON (Date does) and unwraps boxed primitives; doing the same keeps bytes exact.
const resolve = (value: unknown, key: string): unknown => {
  let resolved = value;
  if ((typeof value === 'object' && value !== null) || typeof value === 'bigint') {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') resolved = (toJSON as (key: string) => unknown).call(value, key);
  }
  if (resolved instanceof Number || resolved instanceof String || resolved instanceof Boolean) {
    return resolved.valueOf();
  }
  return resolved;
};

const scalarText = (value: unknown): string | undefined => {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  return undefined;
};

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Writes the JSON text of one value to a sink, depth first with an explicit stack instead of recursion. */
class JsonWalk {
  private readonly stack: Frame[] = [];
  private readonly open = new Set<object>();
  deepest = 0;

  constructor(
    private readonly maxDepth: number,
    private readonly sink: Sink,
  ) {}

  /** Walks the whole value unless the sink stops it; `root` is taken as already resolved. */
  run(root: unknown): void {
    let going = this.writeValue(root);
    while (going && this.stack.length > 0) {
      const frame = this.stack[this.stack.length - 1] as Frame;
      if (frame.index < frame.length) {
        going = this.writeNextMember(frame);
      } else {
        this.stack.pop();
        this.open.delete(frame.node);
        going = this.sink.write(frame.keys === undefined ? ']' : '}');
      }
    }
  }

  private writeValue(value: unknown): boolean {
    const scalar = isOmitted(value) ? 'null' : scalarText(value);
    if (scalar !== undefined) return this.sink.write(scalar);
    if (typeof value === 'bigint') return this.writeReplacement('bigint', `${value.toString()}n`);
    const node = value as object;
    if (this.open.has(node)) return this.writeReplacement('circular', 'the value contains itself');
    if (this.stack.length >= this.maxDepth) {
      return this.writeReplacement('too-deep', `nested deeper than ${this.maxDepth} levels`);
    }
    const keys = Array.isArray(node) ? undefined : Object.keys(node);
    this.stack.push({ node, keys, length: keys?.length ?? (node as unknown[]).length, index: 0, written: 0 });
    this.open.add(node);
    this.deepest = Math.max(this.deepest, this.stack.length);
    return this.sink.write(keys === undefined ? '[' : '{');
  }

  private writeNextMember(frame: Frame): boolean {
    const index = frame.index++;
    const key = frame.keys === undefined ? String(index) : (frame.keys[index] ?? '');
    let value: unknown;
    try {
      value = resolve((frame.node as Record<string, unknown>)[key], key);
    } catch (error) {
      if (!this.sink.write(this.separator(frame, key))) return false;
      return this.writeReplacement('unserializable', describe(error));
    }
    // Like JSON.stringify, an object drops members without a JSON form where an array writes null.
    if (frame.keys !== undefined && isOmitted(value)) return true;
    return this.sink.write(this.separator(frame, key)) && this.writeValue(value);
  }

  private separator(frame: Frame, key: string): string {
    const comma = frame.written++ > 0 ? ',' : '';
    return frame.keys === undefined ? comma : `${comma}${JSON.stringify(key)}:`;
  }

  private writeReplacement(problem: Problem, detail: string): boolean {
    const text = this.sink.replace(problem, detail);
    return text !== undefined && this.sink.write(text);
  }
}

// UTF-8 length of JSON text: JSON.stringify escapes lone surrogates, so every surrogate left is half a 4-byte pair.
const utf8Length = (text: string): number => {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff)) bytes += 2;
    else bytes += 3;
  }
  return bytes;
};

const NOT_JSON: Readonly<Record<Exclude<Problem, 'too-deep'>, string>> = {
  circular: 'The value is circular',
  bigint: 'A BigInt has no JSON form',
  unserializable: 'A value could not be read',
};

/** Measures the depth and UTF-8 size of a value's JSON text, stopping as soon as a limit is exceeded. */
export const measureJson = (value: unknown, limits: { maxDepth: number; maxBytes: number }): JsonMeasure => {
  let bytes = 0;
  let failure: JsonMeasure | undefined;
  const sink: Sink = {
    write: (text) => {
      // A UTF-16 unit is never less than one byte, so the cheap count already proves most oversized text.
      bytes += bytes + text.length > limits.maxBytes ? text.length : utf8Length(text);
      if (bytes <= limits.maxBytes) return true;
      failure = { ok: false, reason: 'oversized', message: `The JSON text is larger than ${limits.maxBytes} bytes` };
      return false;
    },
    replace: (problem, detail) => {
      failure =
        problem === 'too-deep'
          ? { ok: false, reason: 'too-deep', message: `The JSON text is ${detail}` }
          : { ok: false, reason: 'not-json', message: `${NOT_JSON[problem]}: ${detail}` };
      return undefined;
    },
  };
  try {
    const root = resolve(value, '');
    if (isOmitted(root)) return { ok: false, reason: 'not-json', message: 'The value has no JSON form' };
    const walk = new JsonWalk(limits.maxDepth, sink);
    walk.run(root);
    return failure ?? { ok: true, depth: walk.deepest, bytes };
  } catch (error) {
    return { ok: false, reason: 'not-json', message: `${NOT_JSON.unserializable}: ${describe(error)}` };
  }
};

/** Marks where safeStringify cut the text short. */
export const TRUNCATION_MARK = '…[truncated]';

const MARKERS: Readonly<Record<Problem, (detail: string) => string>> = {
  'too-deep': () => '"[depth limit]"',
  circular: () => '"[circular]"',
  bigint: (detail) => JSON.stringify(detail),
  unserializable: () => '"[unserializable]"',
};

/**
 * JSON text for any value, never throwing: levels past `maxDepth`, cycles and unreadable values become marker
 * strings, a BigInt becomes its digits, and text past `maxChars` is cut and ends with TRUNCATION_MARK.
 * Without truncation the result is always valid JSON.
 */
export const safeStringify = (value: unknown, options: { maxDepth: number; maxChars: number }): string => {
  const parts: string[] = [];
  let length = 0;
  const sink: Sink = {
    write: (text) => {
      parts.push(text);
      length += text.length;
      return length <= options.maxChars;
    },
    replace: (problem, detail) => MARKERS[problem](detail),
  };
  try {
    new JsonWalk(options.maxDepth, sink).run(resolve(value, ''));
  } catch {
    return '"[unserializable]"';
  }
  const text = parts.join('');
  return text.length <= options.maxChars ? text : text.slice(0, options.maxChars) + TRUNCATION_MARK;
};

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary, ending with TRUNCATION_MARK when cut
 * (a lone surrogate, which has no UTF-8 form, comes back as U+FFFD).
 */
export const clipUtf8 = (text: string, maxBytes: number): string => {
  if (text.length * 3 <= maxBytes) return text;
  const utf8 = Buffer.from(text, 'utf8');
  if (utf8.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - Buffer.byteLength(TRUNCATION_MARK, 'utf8'));
  // Continuation bytes are 10xxxxxx: step back to the first byte of the character the cut falls in.
  while (end > 0 && ((utf8[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return utf8.subarray(0, end).toString('utf8') + TRUNCATION_MARK;
};
