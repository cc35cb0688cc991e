/** A map keyed by two strings without building a combined key string per lookup. */
export class Keyed<V> {
  private readonly outer = new Map<string, Map<string, V>>();

  get(a: string, b: string): V | undefined {
    return this.outer.get(a)?.get(b);
  }

  set(a: string, b: string, value: V): void {
    let inner = this.outer.get(a);
    if (inner === undefined) this.outer.set(a, (inner = new Map()));
    inner.set(b, value);
  }

  *values(): IterableIterator<V> {
    for (const inner of this.outer.values()) yield* inner.values();
  }
}
