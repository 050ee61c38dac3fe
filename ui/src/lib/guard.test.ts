import { describe, expect, it, vi } from "vitest";
import { ACTIVITY_THROTTLE_MS, locksInLabel, rememberPlace, takePlace, watchActivity } from "./guard";
import type { History } from "./routing";

describe("watchActivity", () => {
  it("reports the first key press at once and then at most once per throttle window", () => {
    const listeners = new Map<string, () => void>();
    const target = {
      addEventListener: (name: string, fn: () => void) => listeners.set(name, fn),
      removeEventListener: (name: string) => listeners.delete(name),
    } as unknown as Window;
    const report = vi.fn(() => Promise.resolve());
    let t = 10_000;
    const stop = watchActivity(target, report, () => t);
    listeners.get("keydown")!();
    listeners.get("pointerdown")!();
    expect(report).toHaveBeenCalledTimes(1);
    t += ACTIVITY_THROTTLE_MS;
    listeners.get("wheel")!();
    expect(report).toHaveBeenCalledTimes(2);
    stop();
    expect(listeners.size).toBe(0);
  });
});

describe("the place kept while locked", () => {
  it("is given back once, then the app starts on the dashboard again", () => {
    const history: History = [{ screen: "note", clientId: "c1", sessionId: "s1" }] as History;
    rememberPlace(history);
    expect(takePlace()).toBe(history);
    expect(takePlace()).toBeNull();
  });
});

describe("locksInLabel", () => {
  it("says nothing far from the lock and counts down near it", () => {
    expect(locksInLabel(null)).toBe("");
    expect(locksInLabel(600)).toBe("");
    expect(locksInLabel(120)).toBe("Locks in 2 min unless you touch a key");
    expect(locksInLabel(61)).toBe("Locks in 2 min unless you touch a key");
    expect(locksInLabel(45)).toBe("Locks in 45 s unless you touch a key");
  });
});
