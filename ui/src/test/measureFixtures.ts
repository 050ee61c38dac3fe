import type { ChartPoint } from "../lib/bindings/ChartPoint";
import type { MeasureChart } from "../lib/bindings/MeasureChart";

// A PHQ-9 chart shaped like Rust's `Vault::measure_charts`: a baseline of 16 falling to
// 5 over two dosings, with a third dosing booked.

function point(id: string, date: string, total: number, band: string, baseline = false): ChartPoint {
  return {
    administrationId: id,
    date,
    total,
    band,
    label: `${total} · ${band}`,
    baseline,
    beforeBaseline: false,
  };
}

export function phq9Chart(overrides: Partial<MeasureChart> = {}): MeasureChart {
  const baseline = point("m-1", "2026-11-18", 16, "Moderately severe", true);
  return {
    instrument: "phq9",
    name: "PHQ-9",
    measures: "Depression",
    maxTotal: 27,
    higherIsBetter: false,
    bands: [
      { from: 0, to: 4, label: "Minimal" },
      { from: 5, to: 9, label: "Mild" },
      { from: 10, to: 14, label: "Moderate" },
      { from: 15, to: 19, label: "Moderately severe" },
      { from: 20, to: 27, label: "Severe" },
    ],
    points: [baseline, point("m-2", "2026-11-21", 10, "Moderate"), point("m-3", "2026-11-25", 5, "Mild")],
    baseline,
    response: { total: 8, at: 8.5, label: "Response: 50% below the baseline of 16 (8 or lower)" },
    remission: { total: 4, at: 4.5, label: "Remission: a score below 5 (4 or lower)" },
    dosings: [
      { date: "2026-11-19", label: "Dosing 1", shortLabel: "D1", booked: false },
      { date: "2026-11-23", label: "Dosing 2", shortLabel: "D2", booked: false },
      { date: "2026-12-03", label: "Dosing 3", shortLabel: "D3", booked: true },
    ],
    from: "2026-11-18",
    to: "2026-12-03",
    caption: "PHQ-9 (depression) in course 1: 3 scores from 18 Nov 2026 to 25 Nov 2026; lower is better.",
    ...overrides,
  };
}
