// Runs the simulator on its own: node examples/llm-simulator/src/main.ts [--port 8787] [--time-scale 0.1]
import { parseArgs } from "node:util";
import { startSimulator } from "./server.ts";

const { values } = parseArgs({
  options: { port: { type: "string", default: "8787" }, "time-scale": { type: "string", default: "1" } },
});
const simulator = await startSimulator({ port: Number(values.port), timeScale: Number(values["time-scale"]) });
console.log(`LLM simulator listening: OPENAI_BASE_URL=${simulator.url}`);
const stop = () => void simulator.close().then(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
