import { describe, expect, it } from "vitest";
import { back, backLabel, current, forClientsOpen, openSection, push, replace, screenFor, sectionOf } from "./routing";

const path = "/home/t/.local/share/kapdesk/vault.kapdesk";

describe("which screen the therapist sees", () => {
  it("waits for Rust before showing anything", () => {
    expect(screenFor(null, false)).toBe("loading");
  });

  it("offers first-run setup when there is no vault yet", () => {
    expect(screenFor({ vaultPath: path, vaultExists: false, unlocked: false, lockedBecause: null, demo: false }, false)).toBe("first-run");
  });

  it("asks for the passphrase when the vault exists but is locked", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: false, lockedBecause: null, demo: false }, false)).toBe("unlock");
  });

  it("goes to practice setup right after creating the vault", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: true, lockedBecause: null, demo: false }, true)).toBe("practice-setup");
  });

  it("opens the app once unlocked", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: true, lockedBecause: null, demo: false }, false)).toBe("app");
  });

  it("opens the demo practice before the real vault exists, and returns to first run when it closes", () => {
    expect(screenFor({ vaultPath: path, vaultExists: false, unlocked: true, lockedBecause: null, demo: true }, false)).toBe("app");
    expect(screenFor({ vaultPath: path, vaultExists: false, unlocked: false, lockedBecause: null, demo: false }, false)).toBe("first-run");
  });

  it("never shows practice setup over a locked vault", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: false, lockedBecause: null, demo: false }, true)).toBe("unlock");
  });
});

describe("moving between screens inside the app", () => {
  it("starts each nav section afresh, with no Back link", () => {
    const history = openSection("clients");
    expect(current(history)).toEqual({ screen: "clients" });
    expect(backLabel(history)).toBeNull();
  });

  it("goes back to where the therapist came from", () => {
    const fromDashboard = push(openSection("dashboard"), { screen: "timeline", clientId: "c-1" });
    expect(backLabel(fromDashboard)).toBe("Back to Dashboard");
    expect(sectionOf(fromDashboard)).toBe("dashboard");
    expect(current(back(fromDashboard))).toEqual({ screen: "dashboard" });

    const editing = push(push(openSection("clients"), { screen: "timeline", clientId: "c-1" }), {
      screen: "client-form",
      clientId: "c-1",
    });
    expect(backLabel(editing)).toBe("Back to the timeline");
    expect(current(back(editing))).toEqual({ screen: "timeline", clientId: "c-1" });
  });

  it("replaces a new client's form by their timeline, so Back skips the finished form", () => {
    const adding = push(openSection("clients"), { screen: "client-form", clientId: null });
    const saved = replace(adding, { screen: "timeline", clientId: "c-9" });
    expect(current(saved)).toEqual({ screen: "timeline", clientId: "c-9" });
    expect(backLabel(saved)).toBe("Back to Clients");
  });

  it("opens a client's consent checklist from their timeline, with Back returning to it", () => {
    const timeline = push(openSection("clients"), { screen: "timeline", clientId: "c-1" });
    const consent = push(timeline, { screen: "consent", clientId: "c-1" });
    expect(current(consent)).toEqual({ screen: "consent", clientId: "c-1" });
    expect(backLabel(consent)).toBe("Back to the timeline");
    expect(sectionOf(consent)).toBe("clients");
    expect(back(consent)).toEqual(timeline);
  });

  it("never goes back past the section", () => {
    const home = openSection("settings");
    expect(back(home)).toEqual(home);
  });
});

describe("what is remembered about an open client", () => {
  it("is kept while the client is anywhere in the history, and forgotten once they are left", () => {
    const tabs = { "c-1": "sessions", "c-2": "records" };
    const onChart = push(openSection("clients"), { screen: "timeline", clientId: "c-1" });
    const inNote = push(onChart, { screen: "note", clientId: "c-1", sessionId: "s-1" });
    expect(forClientsOpen(tabs, inNote)).toEqual({ "c-1": "sessions" });
    expect(forClientsOpen(tabs, back(inNote))).toEqual({ "c-1": "sessions" });
    expect(forClientsOpen(tabs, openSection("clients"))).toEqual({});
    expect(forClientsOpen(tabs, push(openSection("clients"), { screen: "client-form", clientId: null }))).toEqual({});
  });
});
