import { describe, expect, it } from "vitest";
import { requestsWithPrompt, type LlmRequest } from "./chat.ts";

const completion = (messages: unknown, path = "/v1/chat/completions"): LlmRequest => ({ method: "POST", path, body: { messages }, receivedAt: "" });

describe("requestsWithPrompt", () => {
  it("finds the prompt in a user message given as a string or as text parts", () => {
    const requests = [
      completion([{ role: "system", content: "the prompt abc" }]),
      completion([{ role: "user", content: "say abc please" }]),
      completion([{ role: "user", content: [{ type: "text", text: "abc" }] }]),
      completion([{ role: "user", content: "abc" }], "/v1/models"),
    ];
    expect(requestsWithPrompt(requests, "abc")).toEqual([requests[1], requests[2]]);
  });

  it("finds nothing when the prompt never reached the model", () => {
    expect(requestsWithPrompt([completion([{ role: "user", content: "other" }])], "abc")).toEqual([]);
  });
});
