import { diag } from "@opentelemetry/api";
import { getStringListFromEnv } from "@opentelemetry/core";
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
  type Resource,
  type ResourceDetector,
} from "@opentelemetry/resources";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import { DEFAULT_SERVICE_NAME, findAppPackageName } from "./service-name.js";

// OTEL_NODE_RESOURCE_DETECTORS names, as NodeSDK reads them; env last, so OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES win over what the others detect.
const DETECTORS: Record<string, ResourceDetector> = {
  serviceinstance: serviceInstanceIdDetector,
  process: processDetector,
  host: hostDetector,
  os: osDetector,
  env: envDetector,
};

function detectorsFromEnv(): ResourceDetector[] {
  const names = getStringListFromEnv("OTEL_NODE_RESOURCE_DETECTORS") ?? ["all"];
  if (names.includes("all")) return Object.values(DETECTORS);
  if (names.includes("none")) return [];
  return names.flatMap((name) => {
    const detector = DETECTORS[name];
    if (!detector) diag.warn(`Invalid resource detector "${name}" specified in the environment variable OTEL_NODE_RESOURCE_DETECTORS`);
    return detector ? [detector] : [];
  });
}

/**
 * The resource NodeSDK would build for start(): the SDK defaults, then the app's package name as
 * service.name (lowest priority), then what the detectors find (OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES through the env detector), then start({ serviceName }), which wins.
 */
export function buildResource(serviceName?: string): Resource {
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: findAppPackageName() ?? DEFAULT_SERVICE_NAME }))
    .merge(detectResources({ detectors: detectorsFromEnv() }));
  return serviceName === undefined ? resource : resource.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }));
}
