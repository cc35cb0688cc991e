// A plain NodeSDK set-up, as its README starts one: the environment decides the pipeline.
import { NodeSDK } from "@opentelemetry/sdk-node";

new NodeSDK().start();
