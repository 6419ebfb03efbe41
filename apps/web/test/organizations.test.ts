import { describe, expect, it } from "vitest";
import { organizationChoices, organizationsListed, switchNotice } from "../src/lib/organizations.ts";
import { switchedReturnTo } from "../src/lib/switch-organization.ts";

const active = { orgId: "org-a", orgRole: "owner" };

describe("the organizations a person can switch between", () => {
  it("lists the SSO's organizations, the active one first and marked, the rest by name", () => {
    const choices = organizationChoices(
      {
        organizations: [
          { id: "org-z", name: "Zeta", role: "member" },
          { id: "org-a", name: "Apollo", role: "owner" },
          { id: "org-b", name: "Beta" },
        ],
      },
      active,
    );
    expect(choices).toEqual([
      { id: "org-a", name: "Apollo", role: "owner", active: true },
      { id: "org-b", name: "Beta", active: false },
      { id: "org-z", name: "Zeta", role: "member", active: false },
    ]);
  });

  it("tells a listed answer (the organizations scope) from one without the list", () => {
    expect(organizationsListed({ organizations: [] })).toBe(true);
    expect(organizationsListed({ sub: "u1" })).toBe(false);
    expect(organizationsListed(undefined)).toBe(false);
  });

  it("shows the active organization alone, by id, when the SSO lists none", () => {
    expect(organizationChoices({ sub: "u1" }, active)).toEqual([
      { id: "org-a", name: "org-a", role: "owner", active: true },
    ]);
    expect(organizationChoices(undefined, {})).toEqual([]);
  });

  it("drops entries that are not organizations (no id, an id that could break out of a form, duplicates)", () => {
    const choices = organizationChoices(
      {
        organizations: [
          "org-x",
          { name: "No id" },
          { id: "../evil", name: "Evil" },
          { id: "org-b", name: "Beta" },
          { id: "org-b", name: "Beta again" },
        ],
      },
      active,
    );
    expect(choices.map((c) => c.id)).toEqual(["org-a", "org-b"]);
    expect(choices[1]?.name).toBe("Beta");
  });
});

describe("after a switch", () => {
  it("lands on the organization page told where the person came from and what they chose", () => {
    expect(switchedReturnTo("org-a", "org-b")).toBe("/organization?switched=1&from=org-a&to=org-b");
    expect(switchedReturnTo(undefined, undefined)).toBe("/organization?switched=1");
  });

  it("says it switched, or why the organization stayed the same", () => {
    expect(switchNotice({}, "org-b")).toBeUndefined();
    expect(switchNotice({ switched: "1", from: "org-a", to: "org-b" }, "org-b")).toEqual({
      tone: "done",
      text: expect.stringMatching(/^Switched/),
    });
    // The SSO kept the current one: the person is not (or no longer) a member of the chosen organization.
    const notChosen = switchNotice({ switched: "1", from: "org-a", to: "org-b" }, "org-a");
    expect(notChosen?.tone).toBe("unchanged");
    expect(notChosen?.text).toMatch(/not the one you picked/);
    expect(switchNotice({ switched: "1", from: "org-b", to: "org-b" }, "org-b")?.text).toMatch(/already/);
  });

  it("after authorizing again without a choice (to load the list), says so", () => {
    expect(switchNotice({ switched: "1", from: "org-a" }, "org-a")?.text).toMatch(/Signed in again/);
    expect(switchNotice({ switched: "1", from: "org-a" }, "org-b")?.text).toMatch(/^Switched/);
  });
});
