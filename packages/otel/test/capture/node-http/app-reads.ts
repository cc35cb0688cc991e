// How an app reads a node:http response, recorded so a run with the capture can be compared with
// one without: the bytes, the order of the events, and the stream's mode as the app found it.
import type { IncomingMessage } from "node:http";

export interface AppView {
  status: number;
  body: string;
  /** Event names in order, repeats of the same event folded (chunk boundaries depend on timing). */
  events: string[];
  /** readableFlowing when the app got the response (null: nobody asked for data yet). */
  flowingAtResponse: boolean | null;
  /** 'data' listeners on the response when the app got it. */
  dataListenersAtResponse: number;
}

export type ReadStyle = "flowing" | "paused";

/** Reads the response with 'data' events (flowing) or with 'readable' + read() (paused). */
export function readResponse(res: IncomingMessage, style: ReadStyle): Promise<AppView> {
  const view: AppView = {
    status: res.statusCode ?? 0,
    body: "",
    events: [],
    flowingAtResponse: res.readableFlowing,
    dataListenersAtResponse: res.listenerCount("data"),
  };
  const chunks: Buffer[] = [];
  const log = (name: string) => {
    if (view.events.at(-1) !== name) view.events.push(name);
  };
  return new Promise((resolve, reject) => {
    if (style === "flowing") {
      res.on("data", (chunk: Buffer) => {
        log("data");
        chunks.push(chunk);
      });
    } else {
      res.on("readable", () => {
        log("readable");
        for (let chunk = res.read() as Buffer | null; chunk !== null; chunk = res.read() as Buffer | null) chunks.push(chunk);
      });
    }
    res.on("end", () => log("end"));
    res.on("error", (error) => {
      log(`error:${error.message}`);
    });
    res.on("close", () => {
      log("close");
      view.body = Buffer.concat(chunks).toString("utf8");
      if (view.events.includes("end")) resolve(view);
      else reject(Object.assign(new Error("response closed early"), { view }));
    });
  });
}
