import { describe, expect, it } from "vitest";
import { clockTime, exportedSentence, groupByClient, hintFor, progressSentence, shortHash } from "./notes";
import { hit } from "../test/notes";

describe("words for notes", () => {
  it("groups search hits under each client, in the order Rust sent them", () => {
    const hits = [
      hit({ sessionId: "a", clientId: "c-2", clientName: "Maya Chen" }),
      hit({ sessionId: "b" }),
      hit({ sessionId: "c", clientId: "c-2", clientName: "Maya Chen" }),
    ];
    expect(groupByClient(hits).map((g) => [g.clientName, g.hits.map((h) => h.sessionId)])).toEqual([
      ["Maya Chen", ["a", "c"]],
      ["Jordan Alvarez", ["b"]],
    ]);
  });

  it("says times, hashes, hints and counts the way people read them", () => {
    expect(clockTime(new Date(2026, 10, 25, 9, 5))).toBe("09:05");
    expect(shortHash("3f79bb7b435b05321651daefd374cdc6")).toBe("3f79bb7b435b…");
    expect(hintFor([{ key: "plan", hint: "Next steps" }], "plan")).toBe("Next steps");
    expect(hintFor([], "plan")).toBe("");
    expect(progressSentence(1, 1)).toBe("1 of 1 note");
    expect(
      exportedSentence({ folder: "/x", files: [], notes: 1, clients: 1, cancelled: false, integrityFailures: 0 }),
    ).toBe("Exported 1 note to /x.");
    expect(
      exportedSentence({ folder: "/x", files: [], notes: 12, clients: 3, cancelled: false, integrityFailures: 0 }),
    ).toBe("Exported 12 notes for 3 clients to /x.");
  });
});
