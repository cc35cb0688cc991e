/**
 * Runs the tasks `next` hands out (it may have more once a task finished) with at most `limit` in
 * flight; done when none is running and `next` has none. The first failure aborts the rest.
 */
export async function runPool<T>(
  next: () => T | undefined,
  limit: number,
  run: (item: T) => Promise<void>,
  abort: AbortController,
  onProgress: () => void,
): Promise<void> {
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      if (abort.signal.aborted) return;
      while (active < limit) {
        const item = next();
        if (item === undefined) break;
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
      if (active === 0) resolve();
    };
    pump();
  });
}
