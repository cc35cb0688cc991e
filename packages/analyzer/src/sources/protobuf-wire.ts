// The protobuf wire format, read in place from a Buffer and written for small requests: just
// what OTLP TracesData and Jaeger's api_v3 messages need (varints, fixed64, length-delimited).

export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Length = 2,
  Fixed32 = 5,
}

/** The bytes are not a protobuf message of the expected shape. */
export class ProtobufError extends Error {
  override readonly name = "ProtobufError";
}

const TWO_32 = 4294967296;

/** Reads one message's fields, from `pos` up to `end`. */
export class ProtoReader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  more(): boolean {
    return this.pos < this.end;
  }

  /** A varint up to 32 bits (tags, lengths, enums, bools); larger ones keep their low 32 bits. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let byte = buf[pos++]!;
    let value = byte & 0x7f;
    if (byte >= 0x80) {
      byte = buf[pos++]!;
      value |= (byte & 0x7f) << 7;
      if (byte >= 0x80) {
        byte = buf[pos++]!;
        value |= (byte & 0x7f) << 14;
        if (byte >= 0x80) {
          byte = buf[pos++]!;
          value |= (byte & 0x7f) << 21;
          if (byte >= 0x80) {
            byte = buf[pos++]!;
            value |= byte << 28;
            // The rest of a 64-bit varint (a negative int32 is sign-extended to 10 bytes).
            while (byte >= 0x80 && pos < this.end) byte = buf[pos++]!;
          }
        }
      }
    }
    if (pos > this.end) throw new ProtobufError("varint runs past the end of its message");
    this.pos = pos;
    return value >>> 0;
  }

  /** An int64 varint as the nearest double (one rounding, as Number() of its decimal text). */
  int64(): number {
    const buf = this.buf;
    let low = 0;
    let high = 0;
    let shift = 0;
    let byte: number;
    do {
      if (this.pos >= this.end) throw new ProtobufError("varint runs past the end of its message");
      byte = buf[this.pos++]!;
      if (shift < 28) low |= (byte & 0x7f) << shift;
      else if (shift === 28) {
        low |= (byte & 0x0f) << 28;
        high |= (byte & 0x7f) >>> 4;
      } else if (shift < 64) high |= (byte & 0x7f) << (shift - 32);
      shift += 7;
    } while (byte >= 0x80);
    low >>>= 0;
    high >>>= 0;
    if (high < 0x80000000) return high * TWO_32 + low;
    // Two's complement: negate the 64-bit value, then sign it.
    const negLow = (~low + 1) >>> 0;
    const negHigh = (~high + (negLow === 0 ? 1 : 0)) >>> 0;
    return -(negHigh * TWO_32 + negLow);
  }

  /** A fixed64 (nanosecond times) as the nearest double. */
  fixed64(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError("fixed64 runs past the end of its message");
    const low = this.buf.readUInt32LE(this.pos);
    const high = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return high * TWO_32 + low;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError("double runs past the end of its message");
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** The end of a length-delimited field whose content starts at the (updated) pos. */
  lengthEnd(): number {
    const length = this.uint32();
    const end = this.pos + length;
    if (end > this.end) throw new ProtobufError("length-delimited field runs past the end of its message");
    return end;
  }

  string(): string {
    const end = this.lengthEnd();
    const text = this.buf.toString("utf8", this.pos, end);
    this.pos = end;
    return text;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.int64();
        return;
      case WireType.Fixed64:
        this.pos += 8;
        break;
      case WireType.Length:
        this.pos = this.lengthEnd();
        return;
      case WireType.Fixed32:
        this.pos += 4;
        break;
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new ProtobufError("field runs past the end of its message");
  }
}

/** Builds a small message (a request) field by field. */
export class ProtoWriter {
  private readonly parts: number[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }

  uint(field: number, value: number | bigint): this {
    this.varint((field << 3) | WireType.Varint);
    this.varint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.varint((field << 3) | WireType.Length);
    this.varint(value.length);
    for (const byte of value) this.parts.push(byte);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, "utf8"));
  }

  fixed64(field: number, value: bigint): this {
    this.varint((field << 3) | WireType.Fixed64);
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
    for (const byte of bytes) this.parts.push(byte);
    return this;
  }

  double(field: number, value: number): this {
    this.varint((field << 3) | WireType.Fixed64);
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    for (const byte of bytes) this.parts.push(byte);
    return this;
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  finish(): Buffer {
    return Buffer.from(this.parts);
  }
}
