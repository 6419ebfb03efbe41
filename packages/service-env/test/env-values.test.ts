import { describe, expect, it } from "vitest";
import { z } from "zod";
import { envFlag, envList, envProxyCount } from "../src/env-values.ts";

describe("envFlag", () => {
  const flag = z.object({ ON: envFlag(true), UNSAID: envFlag(undefined) });

  it("reads true/false, 1/0 and yes/no, and unset or empty as the fallback", () => {
    expect(flag.parse({ ON: "no", UNSAID: "yes" })).toEqual({ ON: false, UNSAID: true });
    expect(flag.parse({ ON: "0", UNSAID: "1" })).toEqual({ ON: false, UNSAID: true });
    expect(flag.parse({ ON: "", UNSAID: "false" })).toEqual({ ON: true, UNSAID: false });
    expect(flag.parse({})).toEqual({ ON: true, UNSAID: undefined });
  });

  it("refuses anything else, saying what it takes", () => {
    const result = flag.safeParse({ ON: "maybe" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["ON"]);
    expect(result.error?.issues[0]?.message).toMatch(/true or false/);
  });
});

describe("envList", () => {
  it("splits on commas and drops blanks", () => {
    expect(envList.parse(" a.example , ,b.example,")).toEqual(["a.example", "b.example"]);
    expect(envList.parse("")).toEqual([]);
  });
});

describe("envProxyCount", () => {
  it("reads false as 0, true as 1 and a number as itself", () => {
    expect(["false", "true", "2"].map((v) => envProxyCount.parse(v))).toEqual([0, 1, 2]);
  });

  it("refuses anything else", () => {
    expect(envProxyCount.safeParse("yes-please").success).toBe(false);
    expect(envProxyCount.safeParse("-1").success).toBe(false);
  });
});
