// Side-effect entry: `import "@jotty/otel/register"` or `node --import @jotty/otel/register app.js`.
import { start } from "./wiring/start.js";

start();
