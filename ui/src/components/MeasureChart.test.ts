import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import MeasureChart from "./MeasureChart.svelte";
import MeasuresPanel from "./MeasuresPanel.svelte";
import { fakeBackend } from "../test/backend";
import { phq9Chart } from "../test/measureFixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function texts(selector: string): string[] {
  return [...document.querySelectorAll(selector)].map((e) => e.textContent?.trim() ?? "");
}

describe("the progress chart of one measure", () => {
  it("shows each band, each score with its value, each dosing and the thresholds in words", () => {
    render(MeasureChart, { chart: phq9Chart() });
    const figure = screen.getByRole("figure");
    expect(screen.getByRole("region", { name: "PHQ-9: depression" })).toContainElement(figure);
    expect(screen.getByRole("img", { name: /PHQ-9 scores over the course/ })).toBeInTheDocument();
    expect(texts(".band-label")).toEqual([
      "Minimal (0–4)",
      "Mild (5–9)",
      "Moderate (10–14)",
      "Moderately severe (15–19)",
      "Severe (20–27)",
    ]);
    // One marker per score, each with its value; the baseline is a square.
    const markers = document.querySelectorAll(".chart-point");
    expect(markers).toHaveLength(3);
    expect(texts(".point-value")).toEqual(["16", "10", "5"]);
    expect(document.querySelectorAll(".chart-point.baseline rect.marker")).toHaveLength(1);
    expect(document.querySelectorAll(".chart-point circle.marker")).toHaveLength(2);
    // A dashed line per dosing, labelled; the booked one says so.
    expect(document.querySelectorAll(".dosing-line")).toHaveLength(3);
    expect(texts(".dosing-label")).toEqual(["D1", "D2", "D3 (booked)"]);
    expect(texts(".response .threshold-label")).toEqual(["Response: 50% below the baseline of 16 (8 or lower)"]);
    expect(texts(".remission .threshold-label")).toEqual(["Remission: a score below 5 (4 or lower)"]);
    expect(figure.querySelector("figcaption")).toHaveTextContent(
      "PHQ-9 (depression) in course 1: 3 scores from 18 Nov 2026 to 25 Nov 2026; lower is better.",
    );
    // Lower totals are drawn lower; a score below the response line is below it.
    const y = (total: string) => Number(document.querySelector(`.chart-point[data-total="${total}"] text`)?.getAttribute("y"));
    const responseY = Number(document.querySelector(".response line")?.getAttribute("y1"));
    expect(y("16")).toBeLessThan(y("10"));
    expect(y("5")).toBeGreaterThan(responseY);
  });

  it("repeats the scores in a table under 'Scores as a table'", async () => {
    render(MeasureChart, { chart: phq9Chart() });
    const user = userEvent.setup();
    await user.click(screen.getByText("Scores as a table"));
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      ["Wed 18 Nov 2026", "16 / 27", "Moderately severe", "Baseline"],
      ["Sat 21 Nov 2026", "10 / 27", "Moderate", ""],
      ["Wed 25 Nov 2026", "5 / 27", "Mild", ""],
    ]);
  });

  it("draws no line Rust did not give (no response or remission defined, no dosing yet)", () => {
    render(MeasureChart, { chart: phq9Chart({ response: null, remission: null, dosings: [] }) });
    expect(document.querySelector(".threshold")).toBeNull();
    expect(document.querySelector(".dosing")).toBeNull();
    expect(document.querySelector("figcaption")).not.toHaveTextContent("dosing");
  });
});

describe("the measures panel", () => {
  it("shows a chart per instrument, or says there are no scores yet", async () => {
    fakeBackend({
      measure_instruments: () => [],
      list_measures: () => [],
      measure_charts: () => [],
    });
    const { unmount } = render(MeasuresPanel, { clientId: "c-1", today: "2026-12-03", onChanged: vi.fn() });
    expect(await screen.findByText("No scores yet for this client.")).toBeInTheDocument();
    unmount();

    const gad7 = phq9Chart({ instrument: "gad7", name: "GAD-7", measures: "Anxiety" });
    fakeBackend({
      measure_instruments: () => [],
      list_measures: () => [
        {
          id: "m-1",
          clientId: "c-1",
          courseId: "k-1",
          instrument: "phq9",
          date: "2026-11-18",
          sessionId: null,
          filledBy: "client",
          answers: [],
          total: 16,
          band: "Moderately severe",
          safetyFlag: false,
          safetyResponse: null,
          recordedAt: "",
          instrumentName: "PHQ-9",
          maxTotal: 27,
          progress: null,
          beforeBaseline: false,
        },
      ],
      measure_charts: () => [phq9Chart(), gad7],
    });
    render(MeasuresPanel, { clientId: "c-1", today: "2026-12-03", onChanged: vi.fn() });
    expect(await screen.findByRole("heading", { name: "PHQ-9: depression" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "GAD-7: anxiety" })).toBeInTheDocument();
    expect(screen.queryByText("No scores yet for this client.")).toBeNull();
  });
});
