// Workloads with known function names for the CPU profiler tests.

/** Burns CPU for about `ms` milliseconds in this function's own frame (few calls out). */
export function jottyBurnCpuForTest(ms: number): number {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) {
    for (let i = 0; i < 200_000; i++) x = (x * 1103515245 + 12345 + i) % 2147483648;
  }
  return x;
}
