import { diag } from "@opentelemetry/api";
import type { Resource, ResourceDetector } from "@opentelemetry/resources";
import { envList } from "./env.js";
import { otelResources, semconv } from "./sdk-packages.js";
import { DEFAULT_SERVICE_NAME, findAppPackageName } from "./service-name.js";

// OTEL_NODE_RESOURCE_DETECTORS names, as NodeSDK reads them; env last, so OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES win over what the others detect.
function detectorsByName(): Record<string, ResourceDetector> {
  const { serviceInstanceIdDetector, processDetector, hostDetector, osDetector, envDetector } = otelResources();
  return { serviceinstance: serviceInstanceIdDetector, process: processDetector, host: hostDetector, os: osDetector, env: envDetector };
}

function detectorsFromEnv(): ResourceDetector[] {
  const detectors = detectorsByName();
  const names = envList("OTEL_NODE_RESOURCE_DETECTORS") ?? ["all"];
  if (names.includes("all")) return Object.values(detectors);
  if (names.includes("none")) return [];
  return names.flatMap((name) => {
    const detector = detectors[name];
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
  const { defaultResource, detectResources, resourceFromAttributes } = otelResources();
  const { ATTR_SERVICE_NAME } = semconv();
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: findAppPackageName() ?? DEFAULT_SERVICE_NAME }))
    .merge(detectResources({ detectors: detectorsFromEnv() }));
  return serviceName === undefined ? resource : resource.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }));
}
