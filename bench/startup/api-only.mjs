// What loading @opentelemetry/api alone costs (register needs it to register its providers).
import "@opentelemetry/api";
