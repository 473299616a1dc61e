import { describe, expect, it } from "vitest";
import { parseChatStream, readChatStream, storedText } from "./chat-stream.ts";

describe("parseChatStream", () => {
  it("joins deltas and reads the final event", async () => {
    const turn = await parseChatStream(
      [
        'event: meta\ndata: {"protocol":"resumable","streamId":"c1"}\n\n',
        'event: delta\ndata: {"text":"Mock "}\n\n',
        'event: delta\ndata: {"text":"reply"}\n\n',
        'event: final\ndata: {"conversationId":"c1","requestMessageId":"u1","responseMessageId":"r1","text":"Mock reply","errors":[]}\n\n',
      ].join(""),
    );
    expect(turn.meta).toEqual({ protocol: "resumable", streamId: "c1" });
    expect(turn.streamedText).toBe("Mock reply");
    expect(turn.deltaCount).toBe(2);
    expect(turn.final).toEqual({ conversationId: "c1", requestMessageId: "u1", responseMessageId: "r1", text: "Mock reply", errors: [] });
    expect(turn.malformed).toEqual([]);
  });

  it("keeps a last error event that has no blank line after it (LibreChat's gate answer)", async () => {
    const turn = await parseChatStream('event: error\ndata: {"message":"Illegal request","librechatStatus":200,"source":"librechat"}');
    expect(turn.error).toEqual({ message: "Illegal request", librechatStatus: 200, source: "librechat" });
    expect(turn.final).toBeUndefined();
  });

  it("reads a stream split inside an event, as it arrives over the network", async () => {
    const turn = await readChatStream([new TextEncoder().encode('event: delta\ndata: {"te'), 'xt":"ab"}\n\n']);
    expect(turn.streamedText).toBe("ab");
    expect(turn.malformed).toEqual([]);
  });

  it("records frames that break the documented shapes instead of passing over them", async () => {
    const turn = await parseChatStream('event: delta\ndata: not json\n\nevent: final\ndata: {"text":"x"}\n\n');
    expect(turn.malformed).toHaveLength(2);
    expect(turn.final).toBeUndefined();
  });
});

describe("storedText", () => {
  it("reads an agent reply from its content parts, not its empty text", () => {
    expect(storedText({ text: "", content: [{ type: "text", text: "Mock " }, { type: "tool_call" }, { type: "text", text: "reply" }] })).toBe("Mock reply");
  });

  it("falls back to text when there are no text parts", () => {
    expect(storedText({ text: "hello", content: [] })).toBe("hello");
    expect(storedText(null)).toBe("");
  });
});
