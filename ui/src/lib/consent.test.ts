import { describe, expect, it } from "vitest";
import { groupBySection, itemRecord, itemState, paragraphs, progressText, summaryLines } from "./consent";
import { consentItem } from "../test/fixtures";

describe("words for a consent", () => {
  it("sums up the course's consent for the timeline", () => {
    expect(summaryLines(null)).toEqual(["Informed consent: the checklist has not been started yet."]);
    expect(summaryLines({ done: 12, total: 17, signedOn: null, withdrawnOn: null })).toEqual([
      "Informed consent: 12 of 17 items discussed",
      "Not signed yet",
    ]);
    expect(summaryLines({ done: 17, total: 17, signedOn: "2026-12-03", withdrawnOn: "2026-12-20" })).toEqual([
      "Informed consent: 17 of 17 items discussed",
      "Signed on Thu 3 Dec 2026",
      "Withdrawn on Sun 20 Dec 2026",
    ]);
  });

  it("says where an item stands, trusting Rust's `done`", () => {
    expect(itemState(consentItem({ done: true, discussedOn: "2026-12-03", initialled: true }))).toBe("Done");
    expect(itemState(consentItem({ discussedOn: "2026-12-03" }))).toBe("Discussed, not initialled");
    expect(itemState(consentItem())).toBe("Not yet discussed");
    expect(itemRecord(consentItem({ discussedOn: "2026-12-03", initialled: true, done: true }))).toBe(
      "Discussed on Thu 3 Dec 2026; initialled.",
    );
    expect(itemRecord(consentItem({ discussedOn: "2026-12-03", initialsRequired: false, done: true }))).toBe(
      "Discussed on Thu 3 Dec 2026.",
    );
    expect(progressText(12, 17)).toBe("12 of 17 items done");
  });

  it("groups items under their sections, numbered through the document", () => {
    const groups = groupBySection([
      consentItem({ id: "a", section: "One" }),
      consentItem({ id: "b", section: "One" }),
      consentItem({ id: "c", section: "Two" }),
    ]);
    expect(groups.map((g) => [g.title, g.items.map((i) => `${i.number}:${i.item.id}`)])).toEqual([
      ["One", ["1:a", "2:b"]],
      ["Two", ["3:c"]],
    ]);
  });

  it("splits a text into paragraphs at blank lines", () => {
    expect(paragraphs("First.\n\nSecond,\n- a list line\n\n\n")).toEqual(["First.", "Second,\n- a list line"]);
  });
});
