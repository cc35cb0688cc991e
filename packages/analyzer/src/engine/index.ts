export type { Span } from "../model.js";
