import { describe, expect, it, vi } from "vitest";
import { nowHHMM } from "./dates";
import {
  blankEvent,
  blankVitals,
  defaultPhase,
  handoutListSentence,
  handoutSavedSentence,
  restoreEvent,
  restoreVitals,
  toDosingSettings,
  toEventInput,
  toVitalsInput,
} from "./dosing";
import { isCommandError } from "./fieldError";
import { backLabel, openSection, push, sectionOf } from "./routing";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

describe("the time now", () => {
  it("is the laptop's clock time as HH:MM, zero-padded", () => {
    expect(nowHHMM(new Date(2026, 11, 10, 9, 5))).toBe("09:05");
    expect(nowHHMM(new Date(2026, 11, 10, 23, 59, 59))).toBe("23:59");
    expect(nowHHMM(new Date(2026, 11, 10, 0, 0))).toBe("00:00");
  });

  it("defaults to now", () => {
    expect(nowHHMM()).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
  });
});

describe("what the dosing screen says", () => {
  it("says where the handout went, its size, and that it is not encrypted", () => {
    expect(handoutSavedSentence({ path: "/home/t/handout.pdf", bytes: 43_520 })).toBe(
      "Saved to /home/t/handout.pdf (43 KB). Exported files are not encrypted; keep them safe.",
    );
    expect(handoutSavedSentence({ path: "/tmp/h.pdf", bytes: 100 })).toContain("(100 bytes)");
    expect(handoutListSentence({ path: "/home/t/handout.pdf", bytes: 43_520 })).toBe(
      "Handout saved to /home/t/handout.pdf. Exported files are not encrypted; keep them safe.",
    );
  });

  it("takes the first reading before the dose and later ones during it", () => {
    expect(defaultPhase(0)).toBe("pre_dose");
    expect(defaultPhase(2)).toBe("during");
  });
});

describe("the vitals form", () => {
  it("sends the blood pressure as typed for Rust to read", () => {
    const form = { ...blankVitals("09:10", 0), bloodPressure: " 128/82 ", heartRate: 72, spo2: null };
    expect(toVitalsInput(form)).toEqual({ at: "09:10", phase: "pre_dose", bloodPressure: " 128/82 ", heartRate: 72, spo2: null });
  });

  it("asks for a whole heart rate rather than sending an empty box", () => {
    const missing = toVitalsInput({ ...blankVitals("09:10", 0), bloodPressure: "128/82" });
    expect(isCommandError(missing) && missing.field).toBe("heartRate");
    const decimal = toVitalsInput({ ...blankVitals("09:10", 0), heartRate: 72, spo2: 97.5 });
    expect(isCommandError(decimal) && decimal.field).toBe("spo2");
  });

  it("restores a saved draft over the blank form, ignoring what it cannot read", () => {
    const blank = blankVitals("10:00", 1);
    expect(restoreVitals(null, blank)).toBeNull();
    expect(restoreVitals("not json", blank)).toBeNull();
    expect(
      restoreVitals(JSON.stringify({ at: "09:40", phase: "discharge", bloodPressure: "140/9", heartRate: 80, spo2: "x" }), blank),
    ).toEqual({ at: "09:40", phase: "discharge", bloodPressure: "140/9", heartRate: 80, spo2: null });
    expect(restoreVitals(JSON.stringify({ phase: "sideways" }), blank)?.phase).toBe("during");
    expect(restoreEvent(JSON.stringify({ kind: "raised_bp", action: "Rechecked", severity: "moderate" }), blankEvent("10:00"))).toEqual({
      at: "10:00",
      kind: "raised_bp",
      severity: "moderate",
      description: "",
      action: "Rechecked",
      prescriberInformedAt: "",
    });
    expect(restoreEvent(JSON.stringify({ severity: "awful" }), blankEvent("10:00"))?.severity).toBe("");
  });
});

describe("the dosing settings form", () => {
  const schedule = {
    vitalsBeforeDose: true,
    vitalsAfterDoseMinutes: "40, 90",
    dischargeReadingRequired: false,
    cancellationNoticeHours: 48,
    cancellationFee: "$150",
  };

  it("sends empty thresholds and an empty liquids window as null, and the minutes as numbers", () => {
    expect(
      toDosingSettings({ bpSystolicMax: null, bpDiastolicMax: null, fastingFoodHours: 4, fastingLiquidHours: null, ...schedule }),
    ).toEqual({
      bpSystolicMax: null,
      bpDiastolicMax: null,
      fastingFoodHours: 4,
      fastingLiquidHours: null,
      vitalsBeforeDose: true,
      vitalsAfterDoseMinutes: [40, 90],
      dischargeReadingRequired: false,
      cancellationNoticeHours: 48,
      cancellationFee: "$150",
    });
  });

  it("needs a whole number of hours of notice for cancelling a dosing", () => {
    const result = toDosingSettings({
      bpSystolicMax: null,
      bpDiastolicMax: null,
      fastingFoodHours: 4,
      fastingLiquidHours: 2,
      ...schedule,
      cancellationNoticeHours: null,
    });
    expect(isCommandError(result) && result.field).toBe("cancellationNoticeHours");
  });

  it("needs a whole number of hours for food", () => {
    const result = toDosingSettings({ bpSystolicMax: 160, bpDiastolicMax: 100, fastingFoodHours: null, fastingLiquidHours: 2, ...schedule });
    expect(isCommandError(result) && result.field).toBe("fastingFoodHours");
  });

  it("reads the minutes after the dose as typed, and says so when they are not minutes", () => {
    const form = { bpSystolicMax: null, bpDiastolicMax: null, fastingFoodHours: 4, fastingLiquidHours: null, ...schedule };
    const none = toDosingSettings({ ...form, vitalsAfterDoseMinutes: "  " });
    expect(!isCommandError(none) && none.vitalsAfterDoseMinutes).toEqual([]);
    const words = toDosingSettings({ ...form, vitalsAfterDoseMinutes: "40 min" });
    expect(isCommandError(words) && words.field).toBe("vitalsAfterDoseMinutes");
  });
});

describe("the adverse event form", () => {
  it("never assumes a severity, and sends an empty informed time as none", () => {
    const blank = { ...blankEvent("10:40"), action: "Monitored" };
    const unchosen = toEventInput(blank);
    expect(isCommandError(unchosen) && unchosen.field).toBe("severity");
    expect(toEventInput({ ...blank, severity: "mild" })).toEqual({
      at: "10:40",
      kind: "nausea",
      severity: "mild",
      description: "",
      action: "Monitored",
      prescriberInformedAt: null,
    });
  });
});

describe("routing to the dosing record", () => {
  it("opens from a timeline under Clients, with Back to the timeline", () => {
    const timeline = push(openSection("clients"), { screen: "timeline", clientId: "c-1" });
    const dosing = push(timeline, { screen: "dosing", clientId: "c-1", sessionId: "s-1" });
    expect(sectionOf(dosing)).toBe("clients");
    expect(backLabel(dosing)).toBe("Back to the timeline");
    expect(sectionOf([{ screen: "dosing", clientId: "c-1", sessionId: "s-1" }])).toBe("clients");
  });
});
