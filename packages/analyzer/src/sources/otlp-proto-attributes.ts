// OTLP protobuf attributes (common/v1 KeyValue, AnyValue, ArrayValue, KeyValueList) read in
// place, to the values the OTLP JSON reader gives for the same data: kvlists flattened into dotted
// keys down to MAX_ATTRIBUTE_DEPTH, arrays of scalars kept (mixed ones as strings), bytes as base64.
import type { Attributes, AttributeValue } from "@jotty/engine";
import { MAX_ATTRIBUTE_DEPTH, type AttributeLimits } from "./otlp-json.js";
import { ProtoReader, WireType } from "./protobuf-wire.js";

type Scalar = string | number | boolean;

// Where the kvlist (AnyValue field 6) that anyValue() last read starts and ends; -1 when the
// value read was not a kvlist (a later field of the oneof wins).
let kvlistStart = -1;
let kvlistEnd = -1;

/** One AnyValue: a scalar, an array, or undefined (empty, or a kvlist: see kvlistStart). */
function anyValue(r: ProtoReader, end: number, arrayItem: boolean): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  let listStart = -1;
  let listEnd = -1;
  while (r.pos < end) {
    const tag = r.uint32();
    listStart = -1;
    switch (tag) {
      case (1 << 3) | WireType.Length:
        value = r.string();
        break;
      case (2 << 3) | WireType.Varint:
        value = r.uint32() !== 0;
        break;
      case (3 << 3) | WireType.Varint:
        value = r.int64();
        break;
      case (4 << 3) | WireType.Fixed64:
        value = r.double();
        break;
      case (5 << 3) | WireType.Length: {
        const arrayEnd = r.lengthEnd();
        // Arrays inside arrays are dropped, as the JSON reader drops them.
        value = arrayItem ? undefined : arrayOf(r, arrayEnd);
        r.pos = arrayEnd;
        break;
      }
      case (6 << 3) | WireType.Length:
        listEnd = r.lengthEnd();
        listStart = r.pos;
        value = undefined;
        r.pos = listEnd;
        break;
      case (7 << 3) | WireType.Length: {
        const bytesEnd = r.lengthEnd();
        // OTLP JSON writes bytes as base64, which the JSON reader keeps as it is.
        value = r.buf.toString("base64", r.pos, bytesEnd);
        r.pos = bytesEnd;
        break;
      }
      default:
        value = undefined;
        r.skip(tag & 7);
    }
  }
  r.pos = end;
  kvlistStart = listStart;
  kvlistEnd = listEnd;
  return value;
}

/** An ArrayValue ({repeated AnyValue values = 1}); mixed scalars become strings. */
function arrayOf(r: ProtoReader, end: number): AttributeValue {
  const out: Scalar[] = [];
  let kinds = 0; // bit set: 1 string, 2 number, 4 boolean
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag !== ((1 << 3) | WireType.Length)) {
      r.skip(tag & 7);
      continue;
    }
    const itemEnd = r.lengthEnd();
    const v = anyValue(r, itemEnd, true) as Scalar | undefined;
    if (v === undefined) continue;
    kinds |= typeof v === "string" ? 1 : typeof v === "number" ? 2 : 4;
    out.push(v);
  }
  if (kinds === 1 || kinds === 2 || kinds === 4 || kinds === 0) return out as AttributeValue;
  return out.map(String);
}

/** One KeyValue message ({key = 1, AnyValue value = 2}) at [pos, end) into `out`; a kvlist value becomes dotted keys. */
export function addKeyValue(r: ProtoReader, end: number, out: Attributes, limits: AttributeLimits, prefix: string, depth: number): void {
  let key = "";
  let valueStart = -1;
  let valueEnd = -1;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Length)) key = r.string();
    else if (tag === ((2 << 3) | WireType.Length)) {
      valueEnd = r.lengthEnd();
      valueStart = r.pos;
      r.pos = valueEnd;
    } else r.skip(tag & 7);
  }
  if (valueStart >= 0) {
    if (prefix !== "") key = prefix + key;
    r.pos = valueStart;
    const value = anyValue(r, valueEnd, false);
    if (value !== undefined) out[key] = value;
    else if (kvlistStart >= 0) {
      const listEnd = kvlistEnd;
      r.pos = kvlistStart;
      addKeyValues(r, listEnd, out, limits, key + ".", depth + 1);
    }
  }
  r.pos = end;
}

/** The KeyValue fields (number 1) of a KeyValueList at [pos, end). */
function addKeyValues(r: ProtoReader, end: number, out: Attributes, limits: AttributeLimits, prefix: string, depth: number): void {
  if (depth >= MAX_ATTRIBUTE_DEPTH) {
    limits.tooDeep = true;
    r.pos = end;
    return;
  }
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WireType.Length)) {
      const kvEnd = r.lengthEnd();
      addKeyValue(r, kvEnd, out, limits, prefix, depth);
    } else r.skip(tag & 7);
  }
}
