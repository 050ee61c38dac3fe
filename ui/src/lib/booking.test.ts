import { describe, expect, it } from "vitest";
import {
  bookingDefaults,
  describeIntegration,
  durationPlaceholder,
  fromIntegrationCheck,
  fromSuggestion,
  integrationNeedsBooking,
  toBookingRequest,
  type BookingForm,
} from "./booking";
import { focusTarget } from "./clientForm";
import { integrationCheck } from "../test/fixtures";

const today = "2026-12-01";

describe("the booking form's starting values", () => {
  it("takes Rust's suggested booking when there is one", () => {
    const form = bookingDefaults(
      { title: "Book dosing 2", detail: "", suggestion: { kind: "dosing", date: "2026-12-10", time: "09:30" } },
      today,
    );
    expect(form).toEqual({ kind: "dosing", date: "2026-12-10", time: "09:30", durationMin: null, location: "" });
  });

  it("falls back to a preparation session today at 10:00", () => {
    expect(bookingDefaults({ title: "Course complete", detail: "", suggestion: null }, today)).toEqual({
      kind: "preparation",
      date: today,
      time: "10:00",
      durationMin: null,
      location: "",
    });
    expect(bookingDefaults(null, today).kind).toBe("preparation");
  });

  it("keeps the location already typed when a suggestion is applied", () => {
    const typed: BookingForm = { kind: "other", date: today, time: "15:00", durationMin: 90, location: "Room 2" };
    expect(fromSuggestion({ kind: "preparation", date: "2026-12-04", time: "11:00" }, typed)).toEqual({
      kind: "preparation",
      date: "2026-12-04",
      time: "11:00",
      durationMin: null,
      location: "Room 2",
    });
  });

  it("books an integration session on the first day of its window", () => {
    const typed: BookingForm = { kind: "dosing", date: today, time: "13:00", durationMin: 180, location: "Room 2" };
    expect(fromIntegrationCheck(integrationCheck({ windowStart: "2026-12-05" }), typed)).toEqual({
      kind: "integration",
      date: "2026-12-05",
      time: "13:00",
      durationMin: null,
      location: "Room 2",
    });
  });

  it("shows the default duration for the kind chosen", () => {
    const kinds = [
      { kind: "dosing" as const, label: "Dosing", defaultDurationMin: 180 },
      { kind: "integration" as const, label: "Integration", defaultDurationMin: 45 },
    ];
    expect(durationPlaceholder("dosing", kinds)).toBe("180");
    // Whatever Rust says, not a number of the UI's own.
    expect(durationPlaceholder("integration", kinds)).toBe("45");
    expect(durationPlaceholder("preparation", kinds)).toBe("");
  });

  it("sends an empty duration as null so Rust applies its default", () => {
    const form: BookingForm = { kind: "dosing", date: "2026-12-10", time: "09:30", durationMin: null, location: "" };
    expect(toBookingRequest("c-1", form)).toEqual({
      clientId: "c-1",
      kind: "dosing",
      date: "2026-12-10",
      time: "09:30",
      durationMin: null,
      location: "",
      overrideReason: null,
    });
    expect(toBookingRequest("c-1", { ...form, durationMin: 240 }, "Prescriber agreed").durationMin).toBe(240);
    expect(toBookingRequest("c-1", { ...form, durationMin: 240 }, "Prescriber agreed").overrideReason).toBe(
      "Prescriber agreed",
    );
  });
});

describe("integration lines", () => {
  it("say which dosing, its window and where it stands", () => {
    expect(describeIntegration(integrationCheck())).toBe(
      "Dosing 1 on Thu 3 Dec: integration window Sat 5 – Sun 6 Dec — not booked",
    );
    expect(describeIntegration(integrationCheck({ state: "booked" }))).toBe(
      "Dosing 1 on Thu 3 Dec: integration window Sat 5 – Sun 6 Dec — booked",
    );
  });

  it("say how long it has been when the integration is overdue", () => {
    expect(describeIntegration(integrationCheck({ state: "overdue", daysSinceDosing: 4 }))).toBe(
      "Dosing 1 on Thu 3 Dec: integration window Sat 5 – Sun 6 Dec — overdue: not booked (4 days since dosing)",
    );
  });

  it("offer booking only while no integration session is booked", () => {
    expect(integrationNeedsBooking("not_booked")).toBe(true);
    expect(integrationNeedsBooking("overdue")).toBe(true);
    expect(integrationNeedsBooking("strongly_overdue")).toBe(true);
    expect(integrationNeedsBooking("booked")).toBe(false);
    expect(integrationNeedsBooking("booked_late")).toBe(false);
  });
});

describe("where the client form puts the cursor after a refusal", () => {
  it("goes to the field Rust named, or the first input of the group it named", () => {
    expect(focusTarget("email")).toBe("client-email");
    expect(focusTarget("dateOfBirth")).toBe("client-dateOfBirth");
    expect(focusTarget("emergencyContact")).toBe("client-emergency-name");
    expect(focusTarget("rideHome.phone")).toBe("client-ride-phone");
    expect(focusTarget("prescriber")).toBe("client-prescriber-name");
    expect(focusTarget("somethingElse")).toBeNull();
    expect(focusTarget(null)).toBeNull();
  });
});
