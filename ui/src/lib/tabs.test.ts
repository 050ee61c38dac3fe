import { describe, expect, it } from "vitest";
import { tabForKey } from "./tabs";

const TABS = ["overview", "sessions", "consent"] as const;

describe("tabForKey", () => {
  it("steps right and left, wrapping round at either end", () => {
    expect(tabForKey(TABS, "overview", "ArrowRight")).toBe("sessions");
    expect(tabForKey(TABS, "consent", "ArrowRight")).toBe("overview");
    expect(tabForKey(TABS, "sessions", "ArrowLeft")).toBe("overview");
    expect(tabForKey(TABS, "overview", "ArrowLeft")).toBe("consent");
  });

  it("goes to the first with Home and the last with End", () => {
    expect(tabForKey(TABS, "sessions", "Home")).toBe("overview");
    expect(tabForKey(TABS, "sessions", "End")).toBe("consent");
  });

  it("leaves every other key to the tab", () => {
    for (const key of ["Enter", " ", "Tab", "ArrowDown", "a"]) expect(tabForKey(TABS, "sessions", key)).toBeNull();
    expect(tabForKey([], "sessions", "ArrowRight")).toBeNull();
  });
});
