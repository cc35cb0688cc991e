/** Runs tasks (which may push more onto `queue`) with at most `limit` in flight; the first failure aborts the rest. */
export async function runPool<T>(
  queue: T[],
  limit: number,
  run: (item: T) => Promise<void>,
  abort: AbortController,
  onProgress: () => void,
): Promise<void> {
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (abort.signal.aborted) return;
      while (active < limit && queue.length > 0) {
        const item = queue.shift()!;
        active++;
        run(item).then(
          () => {
            active--;
            onProgress();
            pump();
          },
          (error: unknown) => {
            abort.abort(error);
            reject(error);
          },
        );
      }
      if (active === 0 && queue.length === 0) resolve();
    };
    pump();
  });
}
