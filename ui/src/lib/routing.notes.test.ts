import { describe, expect, it } from "vitest";
import { back, backLabel, current, openSection, push, sectionOf } from "./routing";

describe("moving to and from notes", () => {
  it("has a Notes section of its own", () => {
    const notes = openSection("notes");
    expect(current(notes)).toEqual({ screen: "notes" });
    expect(sectionOf(notes)).toBe("notes");
    expect(backLabel(notes)).toBeNull();
  });

  it("opens a note from search with Back returning to Notes, and from a timeline to the timeline", () => {
    const fromSearch = push(openSection("notes"), { screen: "note", clientId: "c-1", sessionId: "s-1" });
    expect(backLabel(fromSearch)).toBe("Back to Notes");
    expect(sectionOf(fromSearch)).toBe("notes");
    expect(current(back(fromSearch))).toEqual({ screen: "notes" });

    const timeline = push(openSection("clients"), { screen: "timeline", clientId: "c-1" });
    const fromTimeline = push(timeline, { screen: "note", clientId: "c-1", sessionId: "s-1" });
    expect(backLabel(fromTimeline)).toBe("Back to the timeline");
    expect(sectionOf(fromTimeline)).toBe("clients");
    expect(sectionOf([{ screen: "note", clientId: "c-1", sessionId: "s-1" }])).toBe("clients");
  });
});
