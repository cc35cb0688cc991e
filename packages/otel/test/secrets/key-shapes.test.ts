// The well-known key shapes: each is redacted wherever it stands in a text, and ordinary prose,
// markdown and identifiers that merely look alike are left as they are.
import { describe, expect, it } from "vitest";
import { redactText } from "../../src/redaction/redact-text.js";
import { CANARY } from "./canaries.js";

describe("redacted", () => {
  it.each([
    ["OpenAI", "sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL"],
    ["OpenAI project", CANARY.openai],
    ["OpenAI service account", "sk-svcacct-AbCdEfGhIjKlMnOpQrStUvWx_yz-0123"],
    ["Anthropic", CANARY.anthropic],
    ["Google", CANARY.google],
    ["xAI", CANARY.xai],
    ["Groq", CANARY.groq],
    ["Hugging Face", "hf_AbCdEfGhIjKlMnOpQrStUvWxYz012345"],
    ["GitHub", "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"],
    ["AWS access key id", CANARY.aws],
    ["AWS temporary key id", "ASIAY34FZKBOKMUTVV7A"],
    ["JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
    ["OpenAI's masked quote", "sk-XG6GW***************************************wlmi"],
    ["OpenAI's dotted quote", "sk-proj-...sQoA"],
    ["a masked word", "CANARY0opaque*************a1b2"],
  ])("%s", (_kind, key) => {
    expect(redactText(`before "${key}", after`)).toBe('before "REDACTED", after');
  });

  // A `\b` before the prefix missed a key after a word character or an escape.
  it.each([
    ["URL-encoded quote", `%22${CANARY.openai}%22`, "%22REDACTED%22"],
    ["URL-encoded equals", `key%3D${CANARY.google}&x=1`, "key%3DREDACTED&x=1"],
    ["an environment variable's name", `OPENAI_KEY_${CANARY.openai}`, "OPENAI_KEY_REDACTED"],
    ["a JSON escape", `"line\\n${CANARY.anthropic}"`, '"line\\nREDACTED"'],
    ["a unicode escape", `\\u0022${CANARY.xai}\\u0022`, "\\u0022REDACTED\\u0022"],
    ["an AWS key id after an escape and before _", `id%3D${CANARY.aws}_old`, "id%3DREDACTED_old"],
    ["a JWT after an escape", "%22eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNH", "%22REDACTED"],
    [
      "a CPU profile's data: URL",
      `data:text/javascript,const%20key%20%3D%20%22${CANARY.openai}%22%3B`,
      "data:text/javascript,const%20key%20%3D%20%22REDACTED%22%3B",
    ],
  ])("%s", (_kind, text, redacted) => {
    expect(redactText(text)).toBe(redacted);
  });

  it("a bearer token keeps its scheme word", () => {
    expect(redactText(`Authorization: Bearer ${CANARY.bearer}\nbearer abc.def-123_456`)).toBe("Authorization: Bearer REDACTED\nbearer REDACTED");
  });

  it("the request's own secrets, in any text, before the shapes", () => {
    expect(redactText(`echo ${CANARY.opaque}; url ${encodeURIComponent("p@ss w0rd!")}`, [CANARY.opaque, "p%40ss%20w0rd!"])).toBe("echo REDACTED; url REDACTED");
  });
});

describe("left alone", () => {
  it.each([
    "a task-list and a risk-free desk-top plan",
    "the risk-assessment-for-the-quarterly-review and the desk-booking-system-of-the-office",
    "install sk-learn, then ask the bearer of bad news about Bearer authentication",
    "**bold** and ***emphasis*** and a rule: ****",
    "AKIA is a prefix; AKIASHORT too",
    "see https://platform.openai.com/account/api-keys for your key",
    "model gpt-4.1-nano-2025-04-14, id chatcmpl-D8Z5f52zQqikDBEKQMQoYcWMcWPeU",
    "resp_0953eda47ee17412006933306199c88195b44f9cf2986e1d5b",
    "file:///work/app/node_modules/.pnpm/@opentelemetry+api@1.10.0/node_modules/x.js",
  ])("%s", (text) => {
    expect(redactText(text)).toBe(text);
  });
});
