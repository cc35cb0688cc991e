// A recommendation's stable id, `${kind}:${target}`: the same finding in two windows has the
// same id. (The insights work gives recommendations this id as a field; until then it is
// derived here, the one place to switch to the field.)
import type { Report } from "@jotty/engine";

export function findingId(recommendation: Pick<Report["recommendations"][number], "kind" | "target">): string {
  return `${recommendation.kind}:${recommendation.target}`;
}
