import { setImmediate as nextMacrotask } from "node:timers/promises";
import { expect } from "vitest";

/** Counts of the resources keeping the event loop alive (timers, sockets, servers...). */
export function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

/** Asserts no resource type gained members since `before`, once libuv's close phase has run. */
export async function expectNoNewResources(before: Map<string, number>): Promise<void> {
  // a closed handle leaves the list in libuv's close phase, a few loop turns after close()
  let after = activeResources();
  let grown = growth(before, after);
  for (let turn = 0; turn < 20 && grown.length > 0; turn++) {
    await nextMacrotask();
    after = activeResources();
    grown = growth(before, after);
  }
  expect(grown, `resources left open: ${JSON.stringify(Object.fromEntries(after))}`).toEqual([]);
}

const growth = (before: Map<string, number>, after: Map<string, number>) => [...after].filter(([type, count]) => count > (before.get(type) ?? 0));
