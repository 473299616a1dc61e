import { describe, expect, it } from "vitest";
import { parseDotenv } from "./dotenv.ts";

describe("parseDotenv", () => {
  it("reads the dotenv forms Compose accepts, with line numbers", () => {
    const text = [
      "# comment",
      "PORT=3080",
      "export HOST=0.0.0.0",
      "EMPTY=",
      "COMMENTED= # only a comment",
      "INLINE=abc # trailing",
      "HASH=abc#def",
      "SINGLE='literal ${PORT} # kept'",
      'DOUBLE="a\\nb ${PORT}"',
      "URL=http://x:${PORT}/y",
      "MULTI='one",
      "two'",
      "  SPACED  =  v  ",
      "NOVALUE",
      "LAST=1",
    ].join("\n");
    const { values, lines } = parseDotenv(text, "/x/.env");
    expect(values).toEqual({
      PORT: "3080",
      HOST: "0.0.0.0",
      EMPTY: "",
      COMMENTED: "",
      INLINE: "abc",
      HASH: "abc#def",
      SINGLE: "literal ${PORT} # kept",
      DOUBLE: "a\nb 3080",
      URL: "http://x:3080/y",
      MULTI: "one\ntwo",
      SPACED: "v",
      LAST: "1",
    });
    expect(lines.PORT).toBe(2);
    expect(lines.MULTI).toBe(11);
    expect(lines.LAST).toBe(15);
  });

  it("lets outer variables win over earlier keys, as Compose does for the shell environment", () => {
    const { values } = parseDotenv("A=file\nB=${A}", "/x/.env", (n) => (n === "A" ? "shell" : undefined));
    expect(values.B).toBe("shell");
  });
});
