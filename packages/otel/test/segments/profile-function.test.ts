import { SpanStatusCode } from "@opentelemetry/api";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { beforeEach, describe, expect, it } from "vitest";
import { profileFunction, profiled } from "../../src/segments/profile-function.js";
import { profile } from "../../src/segments/profile.js";
import { installHarness, parentOf } from "../otel-harness.js";

const h = installHarness();
beforeEach(() => h.reset());

describe("profileFunction()(fn)", () => {
  it("wraps a sync function: same result, this and arguments pass through, span named after fn", () => {
    const counter = {
      base: 10,
      add(a: number, b: number) {
        return this.base + a + b;
      },
    };
    counter.add = profileFunction()(counter.add);
    const value = counter.add(1, 2);
    expect(value).toBe(13);
    expect(h.span("add").ended).toBe(true);
    expect(counter.add.name).toBe("add");
    expect(counter.add.length).toBe(2);
  });

  it("wraps an async function with an explicit name and attributes", async () => {
    const fetchPage = profileFunction("fetch-page", { "app.source": "web" })(async (url: string) => `<${url}>`);
    await expect(fetchPage("a")).resolves.toBe("<a>");
    expect(h.span("fetch-page").attributes).toEqual({ "app.source": "web" });
  });

  it("falls back to 'anonymous' and records errors", () => {
    const boom = new Error("nope");
    const wrapped = profileFunction()(
      (() => () => {
        throw boom;
      })(),
    );
    expect(() => wrapped()).toThrow(boom);
    expect(h.span("anonymous").status.code).toBe(SpanStatusCode.ERROR);
  });
});

// Compiled by TypeScript 5 (standard decorators), as a user's build would; see the fixture.
async function loadPlanner() {
  const source = await readFile(new URL("./fixtures/decorated-planner.ts", import.meta.url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  const dir = await mkdtemp(join(tmpdir(), "jotty-decorators-"));
  const file = join(dir, "decorated-planner.mjs");
  await writeFile(file, outputText);
  const { definePlanner } = (await import(pathToFileURL(file).href)) as typeof import("./fixtures/decorated-planner.js");
  await rm(dir, { recursive: true });
  return () => definePlanner(profiled, profileFunction);
}

const definePlanner = await loadPlanner();
const { Planner } = definePlanner();

describe("@profiled() / @profileFunction() method decorators (TC39 standard)", () => {
  it("names spans ClassName.method, keeps this, nests calls", async () => {
    const planner = new Planner("p");
    await expect(profile("root", () => planner.plan("ship"))).resolves.toBe("p:ship");
    const plan = h.span("Planner.plan");
    expect(parentOf(plan)).toBe(h.span("root").spanContext().spanId);
    expect(parentOf(h.span("planner.research"))).toBe(plan.spanContext().spanId);
  });

  it("names the span after the declaring class even when a subclass instance comes first", async () => {
    const { FastPlanner } = definePlanner(); // fresh classes: no instance made yet
    await new FastPlanner("f").plan("x");
    expect(h.spans().map((s) => s.name)).toEqual(["planner.research", "Planner.plan"]);
  });

  it("decorates static methods", () => {
    expect(Planner.create()).toBeInstanceOf(Planner);
    expect(h.spans().map((s) => s.name)).toContain("Planner.create");
  });

  it("rejects non-method targets", () => {
    const fakeContext = { kind: "getter", name: "x" } as unknown as ClassMethodDecoratorContext;
    expect(() => profileFunction()(() => 1, fakeContext)).toThrow(/only methods/);
  });
});
