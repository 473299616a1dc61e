import { describe, expect, it } from "vitest";
import { parseDotenv, readAsLibreChat } from "./dotenv.ts";

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
      COMMENTED: "# only a comment", // Compose v2: the search for " #" starts after the leading spaces
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

  it("ends an unquoted value only at a space then #, as Compose v2 does (compose-v2.test.ts runs the same lines through Compose)", () => {
    const { values } = parseDotenv("LEADHASH=#x\nTAB=a\t#b\nWIDE=a  #  b\nQUOTED=\"q\" # c\n", "/x/.env");
    expect(values).toEqual({ LEADHASH: "#x", TAB: "a\t#b", WIDE: "a", QUOTED: "q" });
  });

  it("reads the file as LibreChat's own dotenv does too: # starts a comment, nothing is interpolated", () => {
    const text = "COMMENTED= # only a comment\nTAB=a\t#b\nURL=http://x:${PORT}/y\nPORT=3080\n";
    expect(readAsLibreChat(text)).toEqual({ COMMENTED: "", TAB: "a", URL: "http://x:${PORT}/y", PORT: "3080" });
    expect(parseDotenv(text, "/x/.env").values).toEqual({ COMMENTED: "# only a comment", TAB: "a\t#b", URL: "http://x:/y", PORT: "3080" });
  });

  it("lets outer variables win over earlier keys, as Compose does for the shell environment", () => {
    const { values } = parseDotenv("A=file\nB=${A}", "/x/.env", (n) => (n === "A" ? "shell" : undefined));
    expect(values.B).toBe("shell");
  });
});
