// An app that ends one span: with register, the first span is what loads the span pipeline's
// exporter side, so this shows what a traced app pays in all.
import { trace } from "@opentelemetry/api";

trace.getTracer("bench").startSpan("work").end();
