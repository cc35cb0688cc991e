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

  /** The values of a Keyed, or of its copy through structured clone (a worker's message). */
  static valuesOf<V>(keyed: Keyed<V>): V[] {
    return [...keyed.outer.values()].flatMap((inner) => [...inner.values()]);
  }

  *values(): IterableIterator<V> {
    for (const inner of this.outer.values()) yield* inner.values();
  }
}
