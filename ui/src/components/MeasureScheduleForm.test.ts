import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import MeasureScheduleForm from "./MeasureScheduleForm.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import type { Instrument } from "../lib/bindings/Instrument";
import type { MeasureSchedule } from "../lib/bindings/MeasureSchedule";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function instrument(id: string, name: string, measures: string): Instrument {
  return {
    id,
    name,
    title: name,
    prompt: "",
    measures,
    multiplier: 1,
    higherIsBetter: false,
    licence: "",
    safetyItem: null,
    items: [],
    options: [],
    bands: [],
    thresholds: { responseDropPercent: null, responseRisePoints: null, remissionBelow: null, source: "" },
  };
}

const INSTRUMENTS = [
  instrument("phq9", "PHQ-9", "Depression"),
  instrument("gad7", "GAD-7", "Anxiety"),
  instrument("pcl5", "PCL-5", "PTSD"),
];

function schedule(): MeasureSchedule {
  return {
    baselineRequired: true,
    baseline: ["phq9", "gad7", "pcl5"],
    beforeEachDosing: ["phq9", "gad7"],
    atIntegration: ["phq9", "gad7"],
    followUp: ["phq9", "gad7", "pcl5"],
    followUpMonths: [1, 3, 6],
  };
}

function sent(): MeasureSchedule {
  const call = invokeMock.mock.calls.filter(([c]) => c === "save_measure_schedule").at(-1);
  return (call?.[1] as { schedule: MeasureSchedule }).schedule;
}

describe("the measure schedule in Settings", () => {
  it("shows which measure is due when, and saves the practice's changes in the instruments' order", async () => {
    fakeBackend({
      measure_instruments: () => INSTRUMENTS,
      get_measure_schedule: schedule,
      save_measure_schedule: ({ schedule }) => schedule,
    });
    const user = userEvent.setup();
    render(MeasureScheduleForm, {});
    const pclBeforeDosing = await screen.findByLabelText("PCL-5: before each dosing");
    expect(pclBeforeDosing).not.toBeChecked();
    expect(screen.getByLabelText("PHQ-9: before each dosing")).toBeChecked();
    expect(screen.getByLabelText("Follow-up, months after the last dosing")).toHaveValue("1, 3, 6");

    await user.click(pclBeforeDosing);
    await user.click(screen.getByLabelText("GAD-7: at each integration"));
    const months = screen.getByLabelText("Follow-up, months after the last dosing");
    await user.clear(months);
    await user.type(months, "1, 3, 6, 12");
    await user.click(screen.getByLabelText("The baseline measures must be on file before a client's first dosing"));
    await user.click(screen.getByRole("button", { name: "Save the schedule" }));

    expect(await screen.findByText(/Saved\. What is due on the timeline/)).toBeInTheDocument();
    expect(sent()).toEqual({
      baselineRequired: false,
      baseline: ["phq9", "gad7", "pcl5"],
      beforeEachDosing: ["phq9", "gad7", "pcl5"],
      atIntegration: ["phq9"],
      followUp: ["phq9", "gad7", "pcl5"],
      followUpMonths: [1, 3, 6, 12],
    });
  });

  it("asks for whole months before sending, and shows Rust's refusal under the months", async () => {
    fakeBackend({
      measure_instruments: () => INSTRUMENTS,
      get_measure_schedule: schedule,
      save_measure_schedule: () => {
        throw commandError(
          "invalid_input",
          "Follow-up months run from 1 to 36, each later than the one before (for example 1, 3, 6).",
          "followUpMonths",
        );
      },
    });
    const user = userEvent.setup();
    render(MeasureScheduleForm, {});
    const months = await screen.findByLabelText("Follow-up, months after the last dosing");
    await user.clear(months);
    await user.type(months, "1, three");
    await user.click(screen.getByRole("button", { name: "Save the schedule" }));
    expect(await screen.findByText(/Write the months as whole numbers/)).toBeInTheDocument();
    expect(months).toHaveFocus();
    expect(invokeMock.mock.calls.some(([c]) => c === "save_measure_schedule")).toBe(false);

    await user.clear(months);
    await user.type(months, "6, 3");
    await user.click(screen.getByRole("button", { name: "Save the schedule" }));
    await vi.waitFor(() =>
      expect(document.getElementById("schedule-months-error")).toHaveTextContent(
        "Follow-up months run from 1 to 36, each later than the one before",
      ),
    );
    expect(months).toHaveAttribute("aria-invalid", "true");
    expect(sent().followUpMonths).toEqual([6, 3]);
  });
});
