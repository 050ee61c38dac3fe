import { describe, expect, it } from "vitest";
import { formatDate, formatDateRange, formatDateTime, todayIso } from "./dates";

describe("dates as the therapist reads them", () => {
  it("writes a day with its weekday, day, month and year", () => {
    expect(formatDate("2026-12-03")).toBe("Thu 3 Dec 2026");
    expect(formatDate("2027-01-01")).toBe("Fri 1 Jan 2027");
    expect(formatDate("2028-02-29")).toBe("Tue 29 Feb 2028");
  });

  it("can leave the year off", () => {
    expect(formatDate("2026-12-03", { year: false })).toBe("Thu 3 Dec");
  });

  it("never moves a day because of the laptop's time zone", () => {
    // Midnight UTC is still the previous evening in the Americas; the day shown must not change.
    expect(formatDate("2026-03-08")).toBe("Sun 8 Mar 2026");
    expect(formatDate("2026-11-01")).toBe("Sun 1 Nov 2026");
  });

  it("shows anything that is not a real day exactly as it came", () => {
    expect(formatDate("")).toBe("");
    expect(formatDate("2026-02-30")).toBe("2026-02-30");
    expect(formatDate("soon")).toBe("soon");
  });

  it("adds the start time to a session's day", () => {
    expect(formatDateTime("2026-12-03", "10:00")).toBe("Thu 3 Dec 2026, 10:00");
    expect(formatDateTime("2026-12-03", "")).toBe("Thu 3 Dec 2026");
  });

  it("writes a span of days naming the month once when it is shared", () => {
    expect(formatDateRange("2026-12-05", "2026-12-06")).toBe("Sat 5 – Sun 6 Dec");
    expect(formatDateRange("2026-11-30", "2026-12-02")).toBe("Mon 30 Nov – Wed 2 Dec");
    expect(formatDateRange("2026-12-30", "2027-01-01")).toBe("Wed 30 Dec 2026 – Fri 1 Jan 2027");
    expect(formatDateRange("2026-12-05", "2026-12-05")).toBe("Sat 5 Dec");
  });

  it("gives today as a date input holds it, on the laptop's calendar", () => {
    expect(todayIso(new Date(2026, 11, 3, 23, 59))).toBe("2026-12-03");
    expect(todayIso(new Date(2027, 0, 9, 0, 1))).toBe("2027-01-09");
  });
});
