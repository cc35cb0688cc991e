// Issue 12: the body of a query API's error reaches the terminal in the CLI's error line; its
// control bytes (a screen clear, an OSC 8 link) must arrive as visible text, not as commands.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const HOSTILE = "\u001b[2J\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007\u009b31m";
let server: Server;
let url: string;

beforeAll(async () => {
  // A "Jaeger" whose answers are not JSON, carrying terminal control sequences.
  server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end(`oops ${HOSTILE}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("jotty-analyze error lines from a hostile server", () => {
  it("are one line with the server's control bytes made visible", async () => {
    const run = await runCli(["--source", "jaeger", "--jaeger", url, "--since", "1h"]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: "" });
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("oops \\x1b[2J\\x1b]8;;https://evil.example/\\x07click");
    expect(run.stderr.trimEnd()).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
