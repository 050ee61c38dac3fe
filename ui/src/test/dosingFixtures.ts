import { session } from "./fixtures";
import type { CheckState } from "../lib/bindings/CheckState";
import type { DosingCheck } from "../lib/bindings/DosingCheck";
import type { DosingRecord } from "../lib/bindings/DosingRecord";

// A dosing record shaped like Rust's answer, for the dosing-day screen.

const LABELS: Record<DosingCheck, string> = {
  fasting: "Fasted as instructed",
  substances_held: "Substances held as instructed",
  medication_brought: "Medication brought",
  ride_confirmed: "Ride home confirmed",
  touch_reviewed: "Consent to touch reviewed",
  intention_stated: "Intention stated",
  effects_subsided: "Effects have subsided",
  steady_on_feet: "Steady on feet",
  ride_present: "Ride home is here",
};

export function checks(ids: DosingCheck[], ticked: Partial<Record<DosingCheck, string>> = {}): CheckState[] {
  return ids.map((check) => ({ check, label: LABELS[check], at: ticked[check] ?? null }));
}

export const START_CHECKS: DosingCheck[] = [
  "fasting",
  "substances_held",
  "medication_brought",
  "ride_confirmed",
  "touch_reviewed",
  "intention_stated",
];

export const DISCHARGE_CHECKS: DosingCheck[] = ["effects_subsided", "steady_on_feet", "ride_present"];

export function dosingRecord(overrides: Partial<DosingRecord> = {}): DosingRecord {
  return {
    session: session({
      id: "s-dose-1",
      kind: "dosing",
      label: "Dosing 1 of 6",
      date: "2026-12-10",
      time: "09:00",
      durationMin: 180,
      location: "Room 2",
    }),
    clientId: "c-1",
    clientName: "Jordan Alvarez",
    clientIdentity: "Jordan Alvarez, born Saturday 12 April 1986",
    plan: { intentions: "", rideName: "", ridePhone: "" },
    rideName: "Sam Alvarez",
    ridePhone: "555-0100",
    startChecks: checks(START_CHECKS),
    medication: {
      name: "",
      route: null,
      routeOther: "",
      dosePerUnitMg: null,
      units: null,
      takenAt: null,
      boosterMg: null,
      boosterAt: null,
      differenceReason: "",
    },
    prescribed: null,
    prescriptionDifferences: [],
    vitals: [],
    events: [],
    dischargeChecks: checks(DISCHARGE_CHECKS),
    dischargedAt: null,
    dischargeMissing: ["effects have subsided", "steady on feet", "ride home is here", "the discharge time"],
    warnings: [],
    locked: false,
    stillNeeded: [],
    ...overrides,
  };
}
