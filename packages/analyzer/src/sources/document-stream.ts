// A JSON document read chunk by chunk (a traces file, a Jaeger page): the visitor is handed the
// values it wants (one span, one resource) while the rest streams past, so a document of any
// size is held one wanted value at a time. See json-scanner.ts.
export { JsonScanner as DocumentStream, JsonSyntaxError, type JsonVisitor, type PathKey } from "./json-scanner.js";
