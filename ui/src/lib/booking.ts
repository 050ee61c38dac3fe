import { formatDate, formatDateRange } from "./dates";
import type { BookingRequest } from "./bindings/BookingRequest";
import type { IntegrationCheck } from "./bindings/IntegrationCheck";
import type { IntegrationState } from "./bindings/IntegrationState";
import type { NextStep } from "./bindings/NextStep";
import type { SessionKind } from "./bindings/SessionKind";
import type { SessionKindInfo } from "./bindings/SessionKindInfo";
import type { SuggestedBooking } from "./bindings/SuggestedBooking";

/** The booking form as typed. `durationMin` null means "Rust's default for this kind". */
export interface BookingForm {
  kind: SessionKind;
  date: string;
  time: string;
  durationMin: number | null;
  location: string;
}

export const DEFAULT_TIME = "10:00";

/**
 * What the placeholder shows when no duration is typed: the default Rust applies to
 * this kind, as Rust lists it with the kinds that may be booked. Shown only; never sent.
 */
export function durationPlaceholder(kind: SessionKind, kinds: readonly SessionKindInfo[]): string {
  const info = kinds.find((one) => one.kind === kind);
  return info ? String(info.defaultDurationMin) : "";
}

/** A suggestion Rust made, laid over the form; the location typed so far is kept. */
export function fromSuggestion(suggestion: SuggestedBooking, current: BookingForm): BookingForm {
  return {
    ...current,
    kind: suggestion.kind,
    date: suggestion.date,
    time: suggestion.time.trim() === "" ? DEFAULT_TIME : suggestion.time,
    durationMin: null,
  };
}

/** The form as it opens: Rust's next-step suggestion if it has one, else a preparation session today at 10:00. */
export function bookingDefaults(nextStep: NextStep | null, today: string): BookingForm {
  const blank: BookingForm = { kind: "preparation", date: today, time: DEFAULT_TIME, durationMin: null, location: "" };
  return nextStep?.suggestion ? fromSuggestion(nextStep.suggestion, blank) : blank;
}

/** Booking the integration session a check is about: first day of its window. */
export function fromIntegrationCheck(check: IntegrationCheck, current: BookingForm): BookingForm {
  return { ...current, kind: "integration", date: check.windowStart, durationMin: null };
}

export function toBookingRequest(clientId: string, form: BookingForm, overrideReason: string | null = null): BookingRequest {
  const duration = form.durationMin;
  return {
    clientId,
    kind: form.kind,
    date: form.date,
    time: form.time,
    durationMin: typeof duration === "number" && Number.isFinite(duration) ? duration : null,
    location: form.location,
    overrideReason,
  };
}

const BOOKABLE: readonly IntegrationState[] = ["not_booked", "overdue", "strongly_overdue"];

/** Whether a check has no integration session yet, so the line offers to book one. */
export function integrationNeedsBooking(state: IntegrationState): boolean {
  return BOOKABLE.includes(state);
}

/** Whether Rust has marked the check late, so it is shown as urgent. */
export function integrationUrgent(state: IntegrationState): boolean {
  return state === "overdue" || state === "strongly_overdue";
}

export const INTEGRATION_STATE_LABELS: Record<IntegrationState, string> = {
  booked: "booked",
  booked_late: "booked, but after the window",
  not_booked: "not booked",
  overdue: "overdue: not booked",
  strongly_overdue: "strongly overdue: not booked",
};

/** "Dosing 1 on Thu 3 Dec: integration window Sat 5 – Sun 6 Dec — not booked" */
export function describeIntegration(check: IntegrationCheck): string {
  const line =
    `Dosing ${check.dosingNumber} on ${formatDate(check.dosingDate, { year: false })}: ` +
    `integration window ${formatDateRange(check.windowStart, check.windowEnd)} — ${INTEGRATION_STATE_LABELS[check.state]}`;
  if (!integrationUrgent(check.state)) return line;
  const days = check.daysSinceDosing;
  return `${line} (${days} ${days === 1 ? "day" : "days"} since dosing)`;
}
