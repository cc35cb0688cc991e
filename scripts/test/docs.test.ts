// The README and docs/ are checked like code: every relative link lands on a file (and a heading,
// when it names one), and every command in a shell block names something that exists — a pnpm
// script or workspace bin, a file to run, a flag the analyzer's CLI knows.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import GithubSlugger from "github-slugger";

const root = fileURLToPath(new URL("../../", import.meta.url));
const pages = [
  "README.md",
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const read = (page: string) => readFileSync(join(root, page), "utf8");

/** Markdown without its fenced code blocks (links inside code are not links). */
function prose(text: string): string {
  return text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

function headingSlugs(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const slugs = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} +(.+?) *#*$/gm)) slugs.add(slugger.slug(heading!));
  return slugs;
}

function links(text: string): string[] {
  const found: string[] = [];
  for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)) found.push(target!);
  return found;
}

/** The lines of ```sh blocks, comments stripped, `&&`-chains split into commands. */
function shellCommands(text: string): string[] {
  const commands: string[] = [];
  for (const [, block] of text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)) {
    for (const line of block!.split("\n")) {
      const code = line.replace(/(^|\s)#.*$/, "").trim();
      if (code !== "")
        commands.push(
          ...code
            .split(/&&|\|/)
            .map((c) => c.trim())
            .filter(Boolean),
        );
    }
  }
  return commands;
}

const rootPackage = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
const pnpmBuiltins = new Set(["install", "exec", "add", "run", "-s", "--filter"]);
const analyzerHelp = spawnSync(process.execPath, [join(root, "packages/analyzer/dist/cli.js"), "--help"], { encoding: "utf8" }).stdout;

describe("docs", () => {
  it("has pages to check", () => {
    expect(pages.length).toBeGreaterThan(5);
  });

  for (const page of pages) {
    describe(page, () => {
      const text = read(page);

      it("every relative link lands on a file, and on a heading when it names one", () => {
        const broken: string[] = [];
        for (const link of links(text)) {
          if (/^[a-z]+:/i.test(link)) continue; // http(s), mailto: not ours to check offline
          const [path, anchor] = link.split("#") as [string, string | undefined];
          const target = path === "" ? join(root, page) : resolve(dirname(join(root, page)), path);
          if (!existsSync(target)) {
            broken.push(`${link} (no ${relative(root, target)})`);
            continue;
          }
          if (anchor !== undefined && target.endsWith(".md") && !headingSlugs(readFileSync(target, "utf8")).has(anchor)) {
            broken.push(`${link} (no heading #${anchor})`);
          }
        }
        expect(broken).toEqual([]);
      });

      it("every command names a script, bin, file or flag that exists", () => {
        const wrong: string[] = [];
        for (const command of shellCommands(text)) {
          const words = command.split(/\s+/).filter((w) => !/^[A-Z_]+=/.test(w)); // drop VAR=value prefixes
          const [tool, first] = words;
          if (tool === "pnpm" && first !== undefined && !first.startsWith("-")) {
            const known = pnpmBuiltins.has(first) || first in rootPackage.scripts || existsSync(join(root, "node_modules/.bin", first));
            if (!known) wrong.push(`${command}: no pnpm script or bin "${first}"`);
          }
          if (tool === "pnpm" && first === "analyze") {
            for (const flag of words.slice(2).filter((w) => w.startsWith("--"))) {
              if (!analyzerHelp.includes(flag.split("=")[0]!)) wrong.push(`${command}: jotty-analyze has no ${flag}`);
            }
          }
          if ((tool === "bash" || tool === "source" || tool === "node") && first !== undefined && !first.startsWith("-") && !first.startsWith("--")) {
            const file = words.find((w, i) => i > 0 && !w.startsWith("-") && /[./]/.test(w));
            if (file !== undefined && !/[<*$]/.test(file) && !file.startsWith("@") && !existsSync(join(root, file)) && !/^app\.(js|ts)$/.test(file)) {
              wrong.push(`${command}: no file ${file}`);
            }
          }
        }
        expect(wrong).toEqual([]);
      });
    });
  }

  it("`pnpm analyze --format json` prints JSON alone on stdout (no pnpm banner)", () => {
    const pnpm = process.env.npm_execpath;
    const fixture = join(root, "fixtures/jaeger/otel_traces_01.json");
    const run = pnpm?.includes("pnpm")
      ? spawnSync(process.execPath, [pnpm, "analyze", "--file", fixture, "--format", "json"], { cwd: root, encoding: "utf8" })
      : spawnSync(join(root, "node_modules/.bin/analyze"), ["--file", fixture, "--format", "json"], { cwd: root, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { schemaVersion: number }).schemaVersion).toBe(1);
  });
});
