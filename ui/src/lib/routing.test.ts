import { describe, expect, it } from "vitest";
import { screenFor } from "./routing";

const path = "/home/t/.local/share/kapdesk/vault.kapdesk";

describe("which screen the therapist sees", () => {
  it("waits for Rust before showing anything", () => {
    expect(screenFor(null, false)).toBe("loading");
  });

  it("offers first-run setup when there is no vault yet", () => {
    expect(screenFor({ vaultPath: path, vaultExists: false, unlocked: false }, false)).toBe("first-run");
  });

  it("asks for the passphrase when the vault exists but is locked", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: false }, false)).toBe("unlock");
  });

  it("goes to practice setup right after creating the vault", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: true }, true)).toBe("practice-setup");
  });

  it("opens the app once unlocked", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: true }, false)).toBe("app");
  });

  it("never shows practice setup over a locked vault", () => {
    expect(screenFor({ vaultPath: path, vaultExists: true, unlocked: false }, true)).toBe("unlock");
  });
});
