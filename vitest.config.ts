import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Unit tests run against the TypeScript sources; child-process tests use the built dist/.
    alias: [
      { find: /^@jotty\/engine\/engine$/, replacement: src("./packages/engine/src/engine/index.ts") },
      { find: /^@jotty\/engine\/text$/, replacement: src("./packages/engine/src/text.ts") },
      { find: /^@jotty\/engine\/semconv$/, replacement: src("./packages/engine/src/semconv.ts") },
      { find: /^@jotty\/engine$/, replacement: src("./packages/engine/src/index.ts") },
      { find: /^@jotty\/analyzer\/engine$/, replacement: src("./packages/analyzer/src/engine/index.ts") },
      { find: /^@jotty\/analyzer\/text$/, replacement: src("./packages/analyzer/src/text.ts") },
      { find: /^@jotty\/analyzer\/semconv$/, replacement: src("./packages/analyzer/src/semconv.ts") },
      { find: /^@jotty\/analyzer$/, replacement: src("./packages/analyzer/src/index.ts") },
      { find: /^@jotty\/otel$/, replacement: src("./packages/otel/src/index.ts") },
    ],
  },
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "deploy/test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
