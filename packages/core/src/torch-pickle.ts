/**
 * A weights-only unpickler: the Python pickle virtual machine restricted to building data, the
 * same guarantee as `torch.load(weights_only=True)`. Pickles name callables as globals (`GLOBAL
 * "module name"`) and call them (`REDUCE`); here a global is only ever looked up in the caller's
 * allowlist, and any other is refused with an error naming it. Nothing in a file can run code: the
 * allowlisted "callables" are tsgrad functions that build plain values (an OrderedDict, a tensor
 * view over a storage).
 *
 * Values: None → null, bool, int (a safe integer; a larger one throws), float → number, str,
 * list → array, tuple → {@link PyTuple} (an array, marked so the caller can tell), dict →
 * {@link PyDict} (ordered entries), and whatever the allowlisted callables and persistent loads
 * return. Opcodes of protocols 0–5 that carry data are read; those that only make sense for
 * arbitrary objects (`INST`, `OBJ`, extension registries) are refused.
 */

/** A Python dict: its entries in order (keys are str, int, float, bool or None). */
export class PyDict {
  readonly entries: Array<[unknown, unknown]> = [];
}

/** A Python tuple (its items; tuples are immutable, so it is built once). */
export class PyTuple {
  constructor(readonly items: unknown[]) {}
}

/** A global the pickle named, once the allowlist resolved it: what REDUCE calls with the args. */
export interface PyCallable {
  /** `module.name`, for messages. */
  readonly qualifiedName: string;
  call(args: unknown[]): unknown;
  /** What BUILD does with `state` on a value this callable made (default: refuse). */
  build?(value: unknown, state: unknown): void;
}

/** How the unpickler resolves globals and persistent ids, and names itself in errors. */
export interface UnpickleHooks {
  op: string;
  /** The allowlisted global `module.name`, or undefined to refuse it. */
  findGlobal(module: string, name: string): PyCallable | undefined;
  /** What a persistent id (BINPERSID) stands for. */
  persistentLoad(pid: unknown): unknown;
  /** The allowlist, named in the refusal's message. */
  allowed: readonly string[];
}

const MARK = Symbol("mark");
const decoder = new TextDecoder("utf-8", { fatal: true });
const latin1 = new TextDecoder("latin1");

/** Runs the pickle in `bytes` to its STOP and returns the value it built. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks): unknown {
  const { op } = hooks;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const made = new Map<unknown, PyCallable>(); // values REDUCE made, for BUILD
  let pos = 0;
  let opAt = 0;

  // Typed explicitly, so that `if (...) fail(...)` narrows (TypeScript needs the annotation).
  const fail: (message: string, error?: ErrorConstructor) => never = (message, error = TypeError) => {
    throw new error(`${op}: malformed pickle: ${message} (opcode at byte ${opAt} of data.pkl)`);
  };
  const need = (n: number): number => {
    if (pos + n > bytes.length) fail(`the pickle ends inside an opcode (it needs ${n} more bytes at byte ${pos})`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => bytes[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const i32 = (): number => view.getInt32(need(4), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const u64 = (): number => {
    const at = need(8);
    const n = view.getBigUint64(at, true);
    if (n > BigInt(bytes.length)) fail(`a length of ${n} bytes is past the end of the pickle`, RangeError);
    return Number(n);
  };
  const take = (n: number): Uint8Array => {
    const at = need(n);
    return bytes.subarray(at, at + n);
  };
  const line = (): string => {
    const end = bytes.indexOf(10, pos);
    if (end < 0) fail("a text argument has no end of line");
    const text = latin1.decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const utf8 = (n: number): string => {
    try {
      return decoder.decode(take(n));
    } catch {
      return fail("a string is not UTF-8");
    }
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail("the stack is empty");
    const v = stack.pop();
    if (v === MARK) fail("a value was expected, found a MARK");
    return v;
  };
  const top = (): unknown => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) fail("the stack is empty");
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail("no MARK on the stack");
    const items = stack.splice(at);
    items.shift();
    return items;
  };
  const int = (n: bigint): number => {
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) fail(`the integer ${n} is beyond 2^53`, RangeError);
    return Number(n);
  };
  const long = (b: Uint8Array): number => {
    let n = 0n;
    for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
    if (b.length > 0 && b[b.length - 1] & 0x80) n -= 1n << BigInt(8 * b.length);
    return int(n);
  };
  const memoKey = (k: number): unknown => {
    if (!memo.has(k)) fail(`memo entry ${k} was never stored`);
    return memo.get(k);
  };
  const global = (module: string, name: string): PyCallable => {
    const found = hooks.findGlobal(module, name);
    if (found === undefined) {
      throw new TypeError(
        `${op}: the file refers to the Python global "${module}.${name}", which a weights-only load refuses (tsgrad never runs code from a file; allowed: ${hooks.allowed.join(", ")})`,
      );
    }
    return found;
  };
  const call = (fn: unknown, args: unknown): void => {
    if (!isCallable(fn)) fail(`REDUCE calls ${describe(fn)}, not an allowed global`);
    if (!(args instanceof PyTuple)) fail(`REDUCE's arguments must be a tuple, got ${describe(args)}`);
    const value = fn.call(args.items);
    if (value !== null && typeof value === "object") made.set(value, fn);
    stack.push(value);
  };
  const setItems = (dict: unknown, items: unknown[]): void => {
    if (!(dict instanceof PyDict)) fail(`SETITEMS on ${describe(dict)}, not a dict`);
    if (items.length % 2 !== 0) fail("SETITEMS has a key without a value");
    for (let i = 0; i < items.length; i += 2) dict.entries.push([items[i], items[i + 1]]);
  };
  const append = (list: unknown, items: unknown[]): void => {
    if (!Array.isArray(list)) fail(`APPENDS on ${describe(list)}, not a list`);
    for (const item of items) list.push(item);
  };

  for (;;) {
    opAt = pos;
    if (pos >= bytes.length) fail("the pickle ends before its STOP opcode; was data.pkl truncated?");
    const code = bytes[pos++];
    switch (code) {
      case 0x80: u8(); break; // PROTO
      case 0x95: u64(); break; // FRAME: a length hint
      case 0x2e: { // STOP
        const result = pop();
        return result;
      }
      case 0x28: stack.push(MARK); break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x8a: stack.push(long(take(u8()))); break; // LONG1
      case 0x8b: { // LONG4
        const n = u32();
        if (n > 16) fail(`a LONG4 of ${n} bytes is beyond 2^53`, RangeError);
        stack.push(long(take(n)));
        break;
      }
      case 0x49: { // INT (text): also "00"/"01" for False/True
        const text = line();
        stack.push(text === "00" ? false : text === "01" ? true : int(parseBig(text, fail)));
        break;
      }
      case 0x4c: stack.push(int(parseBig(line().replace(/L$/, ""), fail))); break; // LONG (text)
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x46: stack.push(Number(line())); break; // FLOAT (text)
      case 0x58: stack.push(utf8(u32())); break; // BINUNICODE
      case 0x8c: stack.push(utf8(u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(utf8(u64())); break; // BINUNICODE8
      case 0x54: stack.push(latin1.decode(take(i32()))); break; // BINSTRING (Python 2 str)
      case 0x55: stack.push(latin1.decode(take(u8()))); break; // SHORT_BINSTRING
      case 0x42: stack.push(take(u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(take(u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(take(u64()).slice()); break; // BINBYTES8
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        stack.push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x64: { // DICT
        const dict = new PyDict();
        setItems(dict, popMark());
        stack.push(dict);
        break;
      }
      case 0x61: { // APPEND
        const item = pop();
        append(top(), [item]);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x73: { // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(int(parseBig(line(), fail)), top()); break; // PUT (text)
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memoKey(u8())); break; // BINGET
      case 0x6a: stack.push(memoKey(u32())); break; // LONG_BINGET
      case 0x67: stack.push(memoKey(int(parseBig(line(), fail)))); break; // GET (text)
      case 0x63: { // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") fail("STACK_GLOBAL needs two strings");
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: { // REDUCE
        const args = pop();
        call(pop(), args);
        break;
      }
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args), refused unless cls is allowed
        const args = pop();
        call(pop(), args);
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const value = top();
        const maker = made.get(value);
        if (maker?.build === undefined) fail(`BUILD sets the state of ${describe(value)}, which a weights-only load does not allow`);
        maker.build(value, state);
        break;
      }
      case 0x51: stack.push(hooks.persistentLoad(pop())); break; // BINPERSID
      case 0x50: stack.push(hooks.persistentLoad(line())); break; // PERSID (text)
      default:
        fail(`opcode 0x${code.toString(16).padStart(2, "0")} is not one a weights-only load reads`);
    }
  }
}

function parseBig(text: string, fail: (m: string) => never): bigint {
  if (!/^[+-]?\d+$/.test(text.trim())) fail(`${JSON.stringify(text.slice(0, 20))} is not an integer`);
  return BigInt(text.trim());
}

function isCallable(v: unknown): v is PyCallable {
  return v !== null && typeof v === "object" && typeof (v as PyCallable).call === "function" && typeof (v as PyCallable).qualifiedName === "string";
}

/** A Python value, for messages. */
export function describe(v: unknown): string {
  if (v === null) return "None";
  if (v instanceof PyDict) return "a dict";
  if (v instanceof PyTuple) return `a tuple of ${v.items.length}`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (isCallable(v)) return v.qualifiedName;
  if (typeof v === "string") return `the string ${JSON.stringify(v.slice(0, 40))}`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v === "number" ? "the number" : "the bool"} ${String(v)}`;
  return typeof v === "object" ? (v as object).constructor?.name ?? "an object" : typeof v;
}
