import { describe, expect, it } from "vitest";
import { copyLabel, copyText } from "../src/lib/copy.ts";

describe("the copy button", () => {
  it("writes the value to the clipboard and says it was copied", async () => {
    const written: string[] = [];
    const clipboard = {
      writeText: async (text: string) => {
        written.push(text);
      },
    };
    expect(await copyText(clipboard, "tf_abc")).toBe("copied");
    expect(written).toEqual(["tf_abc"]);
    expect(copyLabel("copied", "Copy key")).toBe("Copied");
  });

  it("says so when there is no clipboard or the browser refuses, instead of claiming it copied", async () => {
    expect(await copyText(undefined, "tf_abc")).toBe("failed");
    const refusing = {
      writeText: async () => {
        throw new DOMException("denied", "NotAllowedError");
      },
    };
    expect(await copyText(refusing, "tf_abc")).toBe("failed");
    expect(copyLabel("failed", "Copy key")).toMatch(/select the text/);
    expect(copyLabel("idle", "Copy key")).toBe("Copy key");
  });
});
