import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { findAppPackageName } from "../../src/sdk/service-name.js";

describe("findAppPackageName", () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), "jotty-svc-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("takes the nearest named package.json above the main module, skipping nameless ones", () => {
    const root = tmp();
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "my-agent" }));
    mkdirSync(join(root, "dist"), { recursive: true });
    writeFileSync(join(root, "dist", "package.json"), JSON.stringify({ type: "module" }));
    expect(findAppPackageName(join(root, "dist", "app.js"), tmpdir())).toBe("my-agent");
  });

  it("ignores a main module inside node_modules (a test runner) and uses the working directory", () => {
    const root = tmp();
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "cwd-app" }));
    const runner = join(root, "node_modules", "runner");
    mkdirSync(runner, { recursive: true });
    writeFileSync(join(runner, "package.json"), JSON.stringify({ name: "runner" }));
    expect(findAppPackageName(join(runner, "cli.js"), root)).toBe("cwd-app");
  });

  it("returns undefined when no package.json has a name", () => {
    const root = tmp();
    writeFileSync(join(root, "package.json"), "not json");
    // tmpdir() itself has no package.json above it on this machine's layout.
    expect(findAppPackageName(join(root, "app.js"), root)).toBeUndefined();
  });
});
