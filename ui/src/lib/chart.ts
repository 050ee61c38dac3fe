import type { GateKind } from "./bindings/GateKind";

/** The tabs of a client's chart, below the next step and the checks before a dosing. */
export type ChartTab = "overview" | "sessions" | "consent" | "records" | "measures" | "notes";

export const CHART_TAB_LABELS: Record<ChartTab, string> = {
  overview: "Overview",
  sessions: "Sessions",
  consent: "Consent",
  records: "Medical records",
  measures: "Measures",
  notes: "Notes",
};

/**
 * Where each check before a dosing is put right: a tab of the chart, or the client's
 * details (ride home, emergency contact). Navigation only: whether a check is still
 * needed is Rust's `gate.open`.
 */
export const GATE_PLACES: Record<GateKind, ChartTab | "details"> = {
  preparation_sessions: "sessions",
  consent: "consent",
  medical_clearance: "records",
  release_of_information: "records",
  prescription: "records",
  ride_home: "details",
  emergency_contact: "details",
  integration_after_previous: "sessions",
  baseline_measures: "measures",
};
