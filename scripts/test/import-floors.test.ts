// Clean floors: within each package's src/, the folders import each other without loops, so each
// folder can be read knowing only the ones below it. Imports are read with TypeScript's own
// pre-processor (the same scan tsc does), type-only imports included: a type loop is a loop too.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name === "dist") return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** The folder of a file relative to src; a file directly in src is a node of its own. */
function folderOf(src: string, file: string): string {
  const rel = relative(src, dirname(file));
  return rel === "" ? relative(src, file).replace(/\.js$/, ".ts") : rel.split("/")[0]!;
}

/** Folder → folders it imports, from relative imports between files of one src tree. */
function folderGraph(src: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const from = folderOf(src, file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const to = folderOf(src, resolve(dirname(file), fileName));
      if (to !== from && !to.startsWith("..")) edges.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders (strongly connected components of more than one folder), Tarjan's algorithm. */
function folderLoops(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) loops.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return loops;
}

describe("import floors", () => {
  it("finds a loop when there is one (the check can fail)", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(folderLoops(graph)).toEqual([["a", "b", "c"]]);
  });

  for (const pkg of ["packages/otel/src", "packages/analyzer/src", "packages/engine/src"]) {
    it(`${pkg}: no import loop between folders`, () => {
      const graph = folderGraph(join(root, pkg));
      expect(graph.size).toBeGreaterThan(2);
      const described = folderLoops(graph).map((loop) =>
        loop.map((folder) => `${folder} → ${[...graph.get(folder)!].filter((to) => loop.includes(to)).join(", ")}`).join("; "),
      );
      expect(described).toEqual([]);
    });
  }
});

/** Relative imports of `dir`'s files (src and tests) that leave `dir`: each package is tested and published on its own. */
function importsLeaving(dir: string): string[] {
  return sourceFiles(dir).flatMap((file) =>
    ts
      .preProcessFile(readFileSync(file, "utf8"), true, true)
      .importedFiles.filter(({ fileName }) => fileName.startsWith(".") && relative(dir, resolve(dirname(file), fileName)).startsWith(".."))
      .map(({ fileName }) => `${relative(root, file)} → ${fileName}`),
  );
}

const workspacePackages = ["packages", "examples"].flatMap((top) =>
  readdirSync(join(root, top))
    .map((name) => join(top, name))
    .filter((dir) => statSync(join(root, dir)).isDirectory()),
);

describe("package boundaries", () => {
  it("finds an import that leaves its package (the check can fail)", () => {
    const dir = mkdtempSync(join(tmpdir(), "jotty-floors-"));
    try {
      mkdirSync(join(dir, "pkg/test"), { recursive: true });
      writeFileSync(join(dir, "pkg/test/a.test.ts"), 'import { b } from "./b.js";\nimport { x } from "../../other/src/x.js";\n');
      expect(importsLeaving(join(dir, "pkg")).map((line) => line.split(" → ")[1])).toEqual(["../../other/src/x.js"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const pkg of workspacePackages) {
    it(`${pkg}: sources and tests import other packages by name only`, () => {
      expect(importsLeaving(join(root, pkg))).toEqual([]);
    });
  }
});
