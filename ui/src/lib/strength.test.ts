import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce } from "./debounce";
import { ASSESS_DELAY_MS, watchStrength } from "./strength";
import type { PassphraseAssessment } from "./bindings/PassphraseAssessment";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function assessment(strength: PassphraseAssessment["strength"], hint: string): PassphraseAssessment {
  return { strength, acceptable: strength === "strong", hint };
}

describe("debounce", () => {
  it("runs once, with the last value, after typing pauses", () => {
    const fn = vi.fn();
    const typed = debounce(fn, 150);
    typed("c");
    vi.advanceTimersByTime(100);
    typed("co");
    vi.advanceTimersByTime(100);
    typed("cor");
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith("cor");
  });

  it("does nothing once cancelled", () => {
    const fn = vi.fn();
    const typed = debounce(fn, 150);
    typed("c");
    typed.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe("live passphrase strength", () => {
  it("asks Rust once per pause in typing, about what is in the field now", async () => {
    const assess = vi.fn(async (p: string) => assessment("weak", `hint for ${p}`));
    const shown = vi.fn();
    const watcher = watchStrength(assess, shown);

    for (const text of ["t", "ti", "tid", "tide"]) {
      watcher.update(text);
      vi.advanceTimersByTime(50);
    }
    await vi.advanceTimersByTimeAsync(ASSESS_DELAY_MS);

    expect(assess).toHaveBeenCalledTimes(1);
    expect(assess).toHaveBeenCalledWith("tide");
    expect(shown).toHaveBeenLastCalledWith(assessment("weak", "hint for tide"));
  });

  it("never shows a slow answer about text the therapist has since changed", async () => {
    const pending: Record<string, (a: PassphraseAssessment) => void> = {};
    const assess = vi.fn(
      (p: string) =>
        new Promise<PassphraseAssessment>((resolve) => {
          pending[p] = resolve;
        }),
    );
    const shown = vi.fn();
    const watcher = watchStrength(assess, shown);

    watcher.update("short");
    await vi.advanceTimersByTimeAsync(ASSESS_DELAY_MS);
    watcher.update("short and then much longer");
    await vi.advanceTimersByTimeAsync(ASSESS_DELAY_MS);

    pending["short and then much longer"]?.(assessment("strong", "Strong passphrase."));
    pending["short"]?.(assessment("too_short", "Too short."));
    await vi.runAllTimersAsync();

    expect(shown).toHaveBeenLastCalledWith(assessment("strong", "Strong passphrase."));
    expect(shown).not.toHaveBeenCalledWith(assessment("too_short", "Too short."));
  });

  it("clears the hint at once when the field is emptied, without asking Rust", async () => {
    const assess = vi.fn(async () => assessment("fair", "Fair."));
    const shown = vi.fn();
    const watcher = watchStrength(assess, shown);

    watcher.update("abc");
    watcher.update("");
    await vi.runAllTimersAsync();

    expect(assess).not.toHaveBeenCalled();
    expect(shown).toHaveBeenLastCalledWith(null);
  });

  it("hides the hint rather than a stale one when assessment fails", async () => {
    const assess = vi
      .fn<(p: string) => Promise<PassphraseAssessment>>()
      .mockResolvedValueOnce(assessment("fair", "Fair."))
      .mockRejectedValueOnce({ code: "internal", message: "boom", field: null });
    const shown = vi.fn();
    const watcher = watchStrength(assess, shown);

    watcher.update("abcdef");
    await vi.advanceTimersByTimeAsync(ASSESS_DELAY_MS);
    watcher.update("abcdefg");
    await vi.advanceTimersByTimeAsync(ASSESS_DELAY_MS);

    expect(shown).toHaveBeenLastCalledWith(null);
  });

  it("stays quiet after the form is gone", async () => {
    const assess = vi.fn(async () => assessment("fair", "Fair."));
    const shown = vi.fn();
    const watcher = watchStrength(assess, shown);

    watcher.update("abc");
    watcher.dispose();
    await vi.runAllTimersAsync();

    expect(assess).not.toHaveBeenCalled();
    expect(shown).not.toHaveBeenCalled();
  });
});
