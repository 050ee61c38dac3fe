import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import MeasuresPanel from "./MeasuresPanel.svelte";
import { fakeBackend, invokeMock } from "../test/backend";
import type { AdministrationView } from "../lib/bindings/AdministrationView";
import type { Instrument } from "../lib/bindings/Instrument";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const PHQ9: Instrument = {
  id: "phq9",
  name: "PHQ-9",
  title: "Patient Health Questionnaire (PHQ-9)",
  prompt: "Over the last 2 weeks, how often have you been bothered by any of the following problems?",
  measures: "Depression",
  multiplier: 1,
  higherIsBetter: false,
  licence: "Pfizer, 2010",
  safetyItem: 9,
  items: Array.from({ length: 9 }, (_, i) => `Item ${i + 1}`),
  options: ["Not at all", "Several days", "More than half the days", "Nearly every day"].map((label, value) => ({
    value,
    label,
  })),
  bands: [{ from: 0, to: 27, label: "Any" }],
  thresholds: { responseDropPercent: 50, responseRisePoints: null, remissionBelow: 5, source: "" },
};

function recorded(answers: number[]): AdministrationView {
  return {
    id: "m-1",
    clientId: "c-1",
    courseId: "k-1",
    instrument: "phq9",
    date: "2026-12-03",
    sessionId: null,
    filledBy: "client",
    answers,
    total: 14,
    band: "Moderate",
    safetyFlag: true,
    safetyResponse: null,
    recordedAt: "2026-12-03T15:00:00Z",
    instrumentName: "PHQ-9",
    maxTotal: 27,
    progress: null,
    beforeBaseline: false,
  };
}

function sent(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, a]) => a as Record<string, unknown>);
}

describe("giving a PHQ-9 by keyboard alone", () => {
  it("digits answer and move on, Rust scores it, the flag asks for a response that closes it", async () => {
    let stored: AdministrationView[] = [];
    fakeBackend({
      measure_instruments: () => [PHQ9],
      list_measures: () => stored,
      measure_charts: () => [],
      get_form_draft: () => null,
      save_form_draft: () => undefined,
      clear_form_draft: () => undefined,
      score_measure: () => ({ raw: 14, total: 14, maxTotal: 27, band: "Moderate", safetyFlag: true }),
      record_measure: ({ administration }) => {
        stored = [recorded((administration as { answers: number[] }).answers)];
        return stored[0];
      },
      record_safety_response: () => {
        stored = [{ ...stored[0], safetyResponse: { riskNote: "x", safetyPlan: "made", recordedAt: "" } }];
        return stored[0];
      },
    });
    const onChanged = vi.fn();
    const user = userEvent.setup();
    render(MeasuresPanel, { clientId: "c-1", today: "2026-12-03", onChanged });
    await user.click(await screen.findByRole("button", { name: "Give the PHQ-9" }));
    await vi.waitFor(() => expect(document.querySelector("#measure-question")).toHaveFocus());
    // Nine digits; a digit out of range (7) is ignored; Backspace goes back one.
    await user.keyboard("2221");
    expect(document.querySelector("#measure-question")).toHaveAttribute("data-question", "5");
    await user.keyboard("7");
    expect(document.querySelector("#measure-question")).toHaveAttribute("data-question", "5");
    await user.keyboard("{Backspace}");
    expect(document.querySelector("#measure-question")).toHaveAttribute("data-question", "4");
    await user.keyboard("{Enter}21211");
    await vi.waitFor(() => expect(document.querySelector("#measure-record")).toHaveFocus());
    expect(document.querySelector("#measure-total")).toHaveTextContent("Total 14 of 27: Moderate.");
    expect(document.querySelector("#measure-safety")).toHaveTextContent("raises a safety flag");
    expect(sent("score_measure").at(-1)).toEqual({ instrument: "phq9", answers: [2, 2, 2, 1, 2, 1, 2, 1, 1] });

    await user.keyboard("{Enter}");
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(sent("record_measure")[0].administration).toEqual({
      clientId: "c-1",
      instrument: "phq9",
      date: "2026-12-03",
      sessionId: null,
      filledBy: "client",
      answers: [2, 2, 2, 1, 2, 1, 2, 1, 1],
    });
    // The flag is open, with the cursor in its risk note.
    await vi.waitFor(() => expect(document.querySelector("#safety-note-m-1")).toHaveFocus());
    expect(document.querySelector(".measure-row")).toHaveTextContent("safety flag open");
    await user.keyboard("Passive thoughts, no plan.");
    await user.click(screen.getByRole("button", { name: "Record response" }));
    await vi.waitFor(() => expect(document.querySelector("#safety-flag-m-1")).toBeNull());
    expect(sent("record_safety_response")[0]).toEqual({
      administrationId: "m-1",
      response: { riskNote: "Passive thoughts, no plan.", safetyPlan: "made" },
    });
    expect(document.querySelector(".measure-row")).toHaveTextContent("flag answered");
  });

  it("a half-filled form comes back from its draft at the first unanswered question", async () => {
    fakeBackend({
      measure_instruments: () => [PHQ9],
      list_measures: () => [],
      measure_charts: () => [],
      get_form_draft: ({ key }) =>
        key === "measure:c-1:phq9"
          ? JSON.stringify({ answers: [1, 1, 0, null, null, null, null, null, null], date: "2026-12-02", filledBy: "therapist" })
          : null,
      save_form_draft: () => undefined,
    });
    const user = userEvent.setup();
    render(MeasuresPanel, { clientId: "c-1", today: "2026-12-03", onChanged: vi.fn() });
    await user.click(await screen.findByRole("button", { name: "Give the PHQ-9" }));
    await vi.waitFor(() => expect(document.querySelector("#measure-question")).toHaveAttribute("data-question", "4"));
    expect(document.querySelector("#measure-question")).toHaveFocus();
  });
});
