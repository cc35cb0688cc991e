// The files an MCP client may have read: only below the --allow-dir folders (default: the
// working directory), judged on the real path so a symlink or ".." cannot lead out of them.
import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

export class AllowedPaths {
  private readonly roots: string[];

  constructor(
    dirs: readonly string[],
    private readonly cwd = process.cwd(),
  ) {
    this.roots = dirs.map((d) => realpathSync(resolve(cwd, d)));
  }

  get dirs(): readonly string[] {
    return this.roots;
  }

  /** The real path of `path` when it lies below an allowed folder; throws a one-line Error otherwise. */
  check(path: string): string {
    let real: string;
    try {
      real = realpathSync(resolve(this.roots[0] ?? this.cwd, path));
    } catch (error) {
      throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}`);
    }
    const inside = this.roots.some((root) => {
      const rel = relative(root, real);
      return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
    });
    if (!inside) throw new Error(`${path} is outside the folders this server may read (--allow-dir ${this.roots.join(", ")})`);
    return real;
  }
}
