import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Timeline from "./Timeline.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { gate, integrationCheck, session, timeline } from "../test/fixtures";
import type { BookingRequest } from "../lib/bindings/BookingRequest";
import type { Timeline as TimelineData } from "../lib/bindings/Timeline";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const TODAY = "2026-12-01";
const GATES_OPEN =
  "A dosing cannot be booked yet. Still open: Informed consent (no signed consent on record); Medical clearance (none on record).";

type Handlers = Parameters<typeof fakeBackend>[0];

function backend(data: TimelineData | (() => TimelineData), extra: Handlers = {}) {
  fakeBackend({ get_timeline: () => (typeof data === "function" ? data() : data), ...extra });
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

function bookings(): BookingRequest[] {
  return calls("book_session").map((args) => args.request as BookingRequest);
}

async function renderTimeline(onEdit = vi.fn(), onOpenConsent = vi.fn()) {
  const view = render(Timeline, { clientId: "c-1", today: TODAY, onEdit, onOpenConsent });
  await screen.findByRole("heading", { level: 1, name: /Jordan Alvarez/ });
  return view;
}

/** Shows one of the chart's tabs, as the therapist does. */
async function openTab(user: ReturnType<typeof userEvent.setup>, name: string) {
  await user.click(screen.getByRole("tab", { name }));
  expect(screen.getByRole("tab", { name })).toHaveAttribute("aria-selected", "true");
}

function q<T extends Element = HTMLElement>(container: HTMLElement, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

describe("the client timeline", () => {
  it("asks Rust for the client's current course and shows where they are", async () => {
    backend(timeline({ phaseLabel: "Preparation", client: { ...timeline().client, status: "preparation" } }));
    const { container } = await renderTimeline();
    expect(calls("get_timeline")).toEqual([{ clientId: "c-1", courseId: null }]);
    expect(q(container, "#timeline-status")).toHaveTextContent("Preparation");
    const track = q(container, "#phase-track");
    expect(track).toHaveTextContent("Now: Preparation");
    const steps = [...track.querySelectorAll<HTMLElement>(".track-step")];
    // Each step says where it stands in words (Rust's detail, else the state), not only colour.
    expect(steps.map((s) => s.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Preparation 2 of 4 completed",
      "Dosing 1 Upcoming",
    ]);
    expect(steps[0]).toHaveAttribute("aria-current", "step");
  });

  it("lists the gates, says how to close the open ones and that dosing is blocked", async () => {
    backend(
      timeline({
        dosingBlocked: true,
        gates: [
          gate({ kind: "consent", open: true, title: "Informed consent", howToClose: "Record the signed consent below." }),
          gate({ kind: "ride_home", open: false, title: "Ride home", detail: "Sam Ortiz, 555-0100", howToClose: "" }),
        ],
      }),
    );
    const { container } = await renderTimeline();
    const gates = q(container, "#gates");
    expect(gates).toHaveTextContent("Still needed before dosing");
    const consent = q(gates, '.gate[data-gate="consent"]');
    expect(consent).toHaveAttribute("data-open", "true");
    expect(consent).toHaveTextContent("Still needed");
    expect(consent).toHaveTextContent("Record the signed consent below.");
    const ride = q(gates, '.gate[data-gate="ride_home"]');
    expect(ride).toHaveAttribute("data-open", "false");
    expect(ride).toHaveTextContent("Ready");
    expect(ride).not.toHaveTextContent("What to do");
  });

  it("does not claim dosing is blocked when Rust says it is not", async () => {
    backend(timeline({ dosingBlocked: false, gates: [gate({ open: false, howToClose: "" })] }));
    const { container } = await renderTimeline();
    expect(q(container, "#gates")).not.toHaveTextContent("Still needed before dosing");
  });

  it("shows Rust's warnings", async () => {
    backend(timeline({ warnings: ["The medical clearance expires on Fri 11 Dec 2026, before dosing 3."] }));
    const { container } = await renderTimeline();
    expect(q(container, "#timeline-warnings")).toHaveTextContent("The medical clearance expires on Fri 11 Dec 2026");
  });

  it("opens the booking form on the next step Rust suggests, and the Book button puts it back", async () => {
    backend(
      timeline({
        nextStep: {
          title: "Book dosing 1",
          detail: "All gates are closed.",
          suggestion: { kind: "dosing", date: "2026-12-10", time: "09:30" },
        },
      }),
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    expect(q(container, "#next-step")).toHaveTextContent("Book dosing 1");
    expect(q(container, "#next-step")).toHaveTextContent("All gates are closed.");
    expect(screen.getByLabelText("Kind")).toHaveValue("dosing");
    expect(screen.getByLabelText("Date")).toHaveValue("2026-12-10");
    expect(screen.getByLabelText("Start time")).toHaveValue("09:30");
    expect(screen.getByLabelText("Minutes")).toHaveAttribute("placeholder", "180");

    await user.selectOptions(screen.getByLabelText("Kind"), "Preparation");
    expect(screen.getByLabelText("Minutes")).toHaveAttribute("placeholder", "50");
    await user.click(q(container, "#next-step-book"));
    expect(screen.getByLabelText("Kind")).toHaveValue("dosing");
    expect(screen.getByLabelText("Date")).toHaveValue("2026-12-10");
    expect(screen.getByLabelText("Kind")).toHaveFocus();
  });

  it("without a suggestion, starts on a preparation session today at 10:00 and offers no Book button", async () => {
    backend(timeline());
    const { container } = await renderTimeline();
    expect(container.querySelector("#next-step-book")).toBeNull();
    expect(screen.getByLabelText("Kind")).toHaveValue("preparation");
    expect(screen.getByLabelText("Date")).toHaveValue(TODAY);
    expect(screen.getByLabelText("Start time")).toHaveValue("10:00");
  });

  it("books what was typed, shows Rust's warnings and reloads the timeline", async () => {
    let booked = false;
    backend(
      () => (booked ? timeline({ sessions: [session({ id: "s-9", label: "Preparation 2" })] }) : timeline()),
      {
        book_session: () => {
          booked = true;
          return {
            session: session({ id: "s-9", label: "Preparation 2", date: "2026-12-04", time: "14:00" }),
            warnings: ["This is 9 days after the last preparation session."],
          };
        },
      },
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    await user.clear(screen.getByLabelText("Date"));
    await user.type(screen.getByLabelText("Date"), "2026-12-04");
    await user.clear(screen.getByLabelText("Start time"));
    await user.type(screen.getByLabelText("Start time"), "14:00");
    await user.type(screen.getByLabelText("Location"), "Room 2");
    await user.click(q(container, "#book-submit"));

    await vi.waitFor(() => expect(q(container, "#booking-warnings")).toHaveTextContent("Booked Preparation 2 on Fri 4 Dec 2026, 14:00."));
    expect(q(container, "#booking-warnings")).toHaveAttribute("role", "status");
    expect(q(container, "#booking-warnings")).toHaveTextContent("This is 9 days after the last preparation session.");
    expect(bookings()).toEqual([
      {
        clientId: "c-1",
        kind: "preparation",
        date: "2026-12-04",
        time: "14:00",
        durationMin: null,
        location: "Room 2",
        overrideReason: null,
      },
    ]);
    await vi.waitFor(() => expect(container.querySelector('.session-row[data-session-id="s-9"]')).not.toBeNull());
  });

  it("booking by keyboard keeps the cursor on Book session, which ignores a second Enter while it books", async () => {
    let answer: (value: unknown) => void = () => {};
    backend(timeline(), {
      book_session: () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    const book = q<HTMLButtonElement>(container, "#book-submit");
    book.focus();
    await user.keyboard("{Enter}");

    await vi.waitFor(() => expect(book).toHaveTextContent("Booking…"));
    expect(book).toHaveAttribute("aria-disabled", "true");
    expect(book).not.toBeDisabled();
    expect(book).toHaveFocus();
    await user.keyboard("{Enter}");
    await user.type(screen.getByLabelText("Location"), "{Enter}");
    book.focus();
    expect(bookings()).toHaveLength(1);

    answer({ session: session({ id: "s-9", label: "Preparation 2" }), warnings: [] });
    await vi.waitFor(() => expect(q(container, "#booking-warnings")).toHaveTextContent("Booked Preparation 2"));
    await vi.waitFor(() => expect(book).toHaveTextContent("Book session"));
    expect(book).not.toHaveAttribute("aria-disabled");
    expect(book).toHaveFocus();
  });

  it("offers the kinds Rust books, and says the length it applies when none is typed", async () => {
    backend(
      timeline({
        bookingKinds: [
          { kind: "preparation", label: "Preparation", defaultDurationMin: 50 },
          { kind: "dosing", label: "Dosing", defaultDurationMin: 180 },
          { kind: "integration", label: "Integration", defaultDurationMin: 60 },
        ],
      }),
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    const kind = q<HTMLSelectElement>(container, "#book-kind");
    expect([...kind.options].map((o) => [o.value, o.textContent])).toEqual([
      ["preparation", "Preparation"],
      ["dosing", "Dosing"],
      ["integration", "Integration"],
    ]);
    const duration = q<HTMLInputElement>(container, "#book-duration");
    expect(duration).toHaveAttribute("placeholder", "50");
    await user.selectOptions(kind, "dosing");
    expect(duration).toHaveAttribute("placeholder", "180");
    expect(q(container, "#book-duration-help")).toHaveTextContent("Empty: 180 minutes");
    await user.selectOptions(kind, "integration");
    expect(q(container, "#book-duration-help")).toHaveTextContent("Empty: 60 minutes");
  });

  it("after booking a dosing, offers its integration in the same form", async () => {
    const sentence = "Integration after Dosing 2 is due from Saturday 12 December 2026 to Sunday 13 December 2026 (2 to 3 days after).";
    backend(timeline(), {
      book_session: () => ({
        session: session({ id: "s-9", kind: "dosing", label: "Dosing 2", date: "2026-12-10", time: "13:00" }),
        warnings: [],
        integrationOffer: { booking: { kind: "integration", date: "2026-12-12", time: "13:00" }, sentence },
      }),
    });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    await openTab(user, "Sessions");
    await user.selectOptions(q(container, "#book-kind"), "dosing");
    await user.click(q(container, "#book-submit"));
    await vi.waitFor(() => expect(q(container, "#booking-integration-offer")).toHaveTextContent(sentence));
    expect(q(container, "#booking-integration-offer")).toHaveTextContent("The form is set for it: Sat 12 Dec 2026, 13:00");
    expect(q<HTMLSelectElement>(container, "#book-kind").value).toBe("integration");
    expect(q<HTMLInputElement>(container, "#book-date").value).toBe("2026-12-12");
    expect(q<HTMLInputElement>(container, "#book-time").value).toBe("13:00");
  });

  it("sends a typed duration in minutes", async () => {
    backend(timeline(), { book_session: () => ({ session: session(), warnings: [] }) });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    await user.type(screen.getByLabelText("Minutes"), "75");
    await user.click(q(container, "#book-submit"));
    await vi.waitFor(() => expect(bookings()).toHaveLength(1));
    expect(bookings()[0]?.durationMin).toBe(75);
  });

  it("when gates are open, shows Rust's list and books only with a written reason", async () => {
    backend(
      timeline({
        dosingBlocked: true,
        gates: [gate()],
        nextStep: { title: "Close the gates", detail: "", suggestion: { kind: "dosing", date: "2026-12-10", time: "09:00" } },
      }),
      {
        book_session: ({ request }) => {
          const r = request as BookingRequest;
          if (!r.overrideReason) throw commandError("gates_open", GATES_OPEN);
          return {
            session: session({ kind: "dosing", label: "Dosing 1 of 6", gateOverride: r.overrideReason }),
            warnings: ["Booked with 2 open gates; your reason is kept on the record."],
          };
        },
      },
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    expect(container.querySelector("#book-override")).toBeNull();

    await user.click(q(container, "#book-submit"));

    const error = await vi.waitFor(() => q(container, "#booking-error"));
    expect(error).toHaveAttribute("role", "alert");
    expect(error).toHaveTextContent(GATES_OPEN);
    const reason = screen.getByLabelText("Book anyway — written reason, kept on the record");
    expect(reason).toHaveAttribute("id", "book-override");
    expect(reason).toHaveFocus();
    const override = q<HTMLButtonElement>(container, "#book-override-submit");
    expect(override).toBeDisabled();
    expect(bookings()).toHaveLength(1);

    await user.type(reason, "Consent signed today on paper; prescriber cleared by phone.");
    await user.click(override);

    await vi.waitFor(() => expect(bookings()).toHaveLength(2));
    expect(bookings()[1]).toEqual({ ...bookings()[0], overrideReason: "Consent signed today on paper; prescriber cleared by phone." });
    expect(bookings()[0]?.overrideReason).toBeNull();
    await vi.waitFor(() =>
      expect(q(container, "#booking-warnings")).toHaveTextContent("Booked with 2 open gates; your reason is kept on the record."),
    );
    expect(container.querySelector("#book-override")).toBeNull();
    expect(container.querySelector("#booking-error")).toBeNull();
    // The reason's form and its button have gone: the cursor is on what was booked.
    expect(q(container, "#booking-result")).toHaveFocus();
  });

  it("puts a booking error under the field Rust names", async () => {
    backend(timeline(), {
      book_session: () => {
        throw commandError("invalid_input", "A session lasts from 5 minutes to 12 hours.", "durationMin");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    await user.type(screen.getByLabelText("Minutes"), "1");
    await user.click(q(container, "#book-submit"));
    const error = await vi.waitFor(() => q(container, '[data-error-for="durationMin"]'));
    expect(error).toHaveTextContent("A session lasts from 5 minutes to 12 hours.");
    expect(screen.getByLabelText("Minutes")).toHaveFocus();
    expect(container.querySelector("#book-override")).toBeNull();
  });

  it("lists sessions with their state and marks a scheduled one completed, cancelled or missed", async () => {
    backend(
      timeline({
        sessions: [
          session({ id: "s-1", label: "Preparation 1", status: "completed" }),
          session({
            id: "s-2",
            kind: "dosing",
            label: "Dosing 1 of 6",
            date: "2026-12-10",
            time: "09:00",
            durationMin: 180,
            location: "Room 2",
            gateOverride: "Prescriber agreed by phone.",
          }),
        ],
      }),
      { set_session_status: ({ status }) => session({ id: "s-2", label: "Dosing 1 of 6", status: status as "completed" }) },
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    await openTab(user, "Sessions");
    const done = q(container, '.session-row[data-session-id="s-1"]');
    expect(done).toHaveAttribute("data-status", "completed");
    expect(done.querySelector(".complete-session")).toBeNull();

    const dosing = q(container, '.session-row[data-session-id="s-2"]');
    expect(dosing).toHaveAttribute("data-kind", "dosing");
    expect(dosing).toHaveTextContent("Dosing 1 of 6");
    expect(dosing).toHaveTextContent("Thu 10 Dec 2026, 09:00 · 180 min · Room 2");
    expect(dosing).toHaveTextContent("Scheduled");
    expect(dosing).toHaveTextContent("Booked with a written reason: Prescriber agreed by phone.");

    const loads = calls("get_timeline").length;
    await user.click(within(dosing).getByRole("button", { name: /No-show/ }));
    expect(q(dosing, "#no-show-session-s-2-question")).toHaveTextContent("cannot be undone");
    expect(calls("set_session_status")).toEqual([]);
    await user.click(q(dosing, ".confirm-yes"));
    await vi.waitFor(() => expect(calls("set_session_status")).toEqual([{ sessionId: "s-2", status: "no_show" }]));
    await vi.waitFor(() => expect(calls("get_timeline").length).toBe(loads + 1));

    await user.click(q(dosing, ".cancel-session"));
    await user.click(q(dosing, ".confirm-yes"));
    await vi.waitFor(() => expect(calls("set_session_status").at(-1)).toEqual({ sessionId: "s-2", status: "cancelled" }));
    await user.click(q(dosing, ".complete-session"));
    expect(q(dosing, "#complete-session-s-2-question")).toHaveTextContent("closes for good");
    await user.click(q(dosing, ".confirm-yes"));
    await vi.waitFor(() => expect(calls("set_session_status").at(-1)).toEqual({ sessionId: "s-2", status: "completed" }));
  });

  it("shows Rust's refusal to mark a future session completed", async () => {
    const message = "This session is on Thursday 10 December at 09:00, still to come; it can be marked completed once it has started.";
    backend(timeline({ sessions: [session({ id: "s-2" })] }), {
      set_session_status: () => {
        throw commandError("invalid_input", message, "status");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    await openTab(user, "Sessions");
    await user.click(q(container, ".complete-session"));
    await user.click(q(container, ".confirm-yes"));
    expect(await screen.findByRole("alert")).toHaveTextContent(message);
  });

  it("shows each integration window and books a missing one from its first day", async () => {
    backend(
      timeline({
        integration: [
          integrationCheck({ dosingSessionId: "d1", dosingNumber: 1, state: "booked", integrationSessionId: "i1" }),
          integrationCheck({
            dosingSessionId: "d2",
            dosingNumber: 2,
            dosingDate: "2026-12-10",
            windowStart: "2026-12-12",
            windowEnd: "2026-12-13",
            state: "overdue",
            daysSinceDosing: 5,
          }),
        ],
      }),
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    const checks = [...container.querySelectorAll<HTMLElement>(".integration-check")];
    expect(checks.map((c) => c.dataset.state)).toEqual(["booked", "overdue"]);
    expect(checks[0]).toHaveTextContent("Dosing 1 on Thu 3 Dec: integration window Sat 5 – Sun 6 Dec — booked");
    expect(checks[0]?.querySelector(".book-integration")).toBeNull();
    expect(checks[1]).toHaveTextContent("overdue: not booked (5 days since dosing)");
    expect(checks[1]).toHaveClass("urgent");

    await user.click(q(checks[1]!, ".book-integration"));
    expect(screen.getByLabelText("Kind")).toHaveValue("integration");
    expect(screen.getByLabelText("Date")).toHaveValue("2026-12-12");
    expect(screen.getByLabelText("Kind")).toHaveFocus();
  });

  it("records a medical clearance, then reloads the timeline to show it", async () => {
    let saved: TimelineData["clearance"] = null;
    backend(() => timeline({ clearance: saved }), {
      record_clearance: ({ clearance }) => {
        saved = clearance as TimelineData["clearance"];
        return null;
      },
    });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    expect(q(container, "#clearance-current")).toHaveTextContent("No medical clearance recorded yet.");

    await user.type(q(container, "#clearance-clinician"), "Dr. Priya Nair");
    await user.type(q(container, "#clearance-organisation"), "Cascade Psychiatry");
    await user.type(q(container, "#clearance-clearedOn"), "2026-11-20");
    await user.click(q(container, "#save-clearance"));

    await vi.waitFor(() =>
      expect(q(container, "#clearance-current")).toHaveTextContent(
        "On record: cleared by Dr. Priya Nair (Cascade Psychiatry) on Fri 20 Nov 2026, no expiry date given.",
      ),
    );
    expect(calls("record_clearance")).toEqual([
      {
        clientId: "c-1",
        clearance: { clinician: "Dr. Priya Nair", organisation: "Cascade Psychiatry", clearedOn: "2026-11-20", validUntil: "" },
      },
    ]);
  });

  it("records the prescription as written, with the route chosen from the list", async () => {
    backend(timeline(), { record_prescription: () => null });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    expect(container.querySelector("#gate-records")).toHaveTextContent("KAP Desk never suggests a dose");
    await user.type(q(container, "#rx-medication"), "Ketamine");
    await user.selectOptions(q(container, "#rx-route"), "intramuscular");
    await user.type(q(container, "#rx-dose"), "as per prescriber's letter of 18 Nov");
    await user.type(q(container, "#rx-prescriber"), "Dr. Priya Nair");
    await user.type(q(container, "#rx-prescribedOn"), "2026-11-18");
    await user.type(q(container, "#rx-medicationInstructions"), "Skip the evening clonazepam the night before.");
    await user.click(q(container, "#save-prescription"));
    await vi.waitFor(() => expect(calls("record_prescription")).toHaveLength(1));
    expect(calls("record_prescription")[0]).toEqual({
      clientId: "c-1",
      prescription: {
        medication: "Ketamine",
        route: "intramuscular",
        dose: "as per prescriber's letter of 18 Nov",
        prescriber: "Dr. Priya Nair",
        prescribedOn: "2026-11-18",
        validUntil: "",
        medicationInstructions: "Skip the evening clonazepam the night before.",
      },
    });
  });

  it("records the release of information, one of the checks before a first dosing", async () => {
    backend(timeline(), { record_release_of_information: () => null });
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    expect(q(container, "#release-current")).toHaveTextContent("No signed release of information recorded yet.");
    await user.type(q(container, "#release-recipient"), "Cascade Psychiatry");
    await user.type(q(container, "#release-mayShare"), "Screening, progress and safety concerns");
    await user.type(q(container, "#release-signedOn"), "2026-11-20");
    await user.click(q(container, "#save-release"));
    await vi.waitFor(() => expect(calls("record_release_of_information")).toHaveLength(1));
    expect(calls("record_release_of_information")[0]).toEqual({
      clientId: "c-1",
      release: {
        recipient: "Cascade Psychiatry",
        mayShare: "Screening, progress and safety concerns",
        signedOn: "2026-11-20",
        validUntil: "",
      },
    });
  });

  it("sums up the course's consent from what Rust says and opens the checklist", async () => {
    backend(timeline({ consent: { done: 12, total: 17, signedOn: null, withdrawnOn: null } }));
    const onOpenConsent = vi.fn();
    const user = userEvent.setup();
    const { container } = await renderTimeline(vi.fn(), onOpenConsent);
    await openTab(user, "Consent");
    const card = q(container, "#chart-panel-consent #consent-summary");
    expect(card).toHaveTextContent("Informed consent: 12 of 17 items discussed");
    expect(card).toHaveTextContent("Not signed yet");
    expect(card).not.toHaveTextContent("Withdrawn");
    // The checklist itself lives on its own screen; nothing is recorded from the timeline.
    expect(card.querySelector("input, select, textarea")).toBeNull();

    await user.click(within(card).getByRole("button", { name: "Open the consent checklist" }));
    expect(onOpenConsent).toHaveBeenCalledWith("c-1");
  });

  it("says when the consent was signed and withdrawn", async () => {
    backend(timeline({ consent: { done: 17, total: 17, signedOn: "2026-12-03", withdrawnOn: "2026-12-20" } }));
    const { container } = await renderTimeline();
    const lines = [...q(container, "#consent-summary").querySelectorAll(".consent-summary-line")].map((p) => p.textContent);
    expect(lines).toEqual([
      "Informed consent: 17 of 17 items discussed",
      "Signed on Thu 3 Dec 2026",
      "Withdrawn on Sun 20 Dec 2026",
    ]);
  });

  it("says when the consent checklist has not been started", async () => {
    backend(timeline({ consent: null }));
    const { container } = await renderTimeline();
    expect(q(container, "#consent-summary")).toHaveTextContent("the checklist has not been started yet");
    expect(q(container, "#open-consent")).toBeInTheDocument();
  });

  it("switches between courses and starts a new one", async () => {
    const first = { id: "course-1", number: 1, startedOn: "2025-03-01" };
    const second = { id: "course-2", number: 2, startedOn: "2026-11-02" };
    backend(
      () => {
        const asked = calls("get_timeline").at(-1)?.courseId;
        return timeline({ course: asked === "course-1" ? first : second, courses: [first, second] });
      },
      { start_course: () => ({ id: "course-3", number: 3, startedOn: "2026-12-01" }) },
    );
    const user = userEvent.setup();
    const { container } = await renderTimeline();
    const select = screen.getByLabelText("Course");
    expect(select).toHaveValue("course-2");
    await user.selectOptions(select, "course-1");
    await vi.waitFor(() => expect(calls("get_timeline").at(-1)).toEqual({ clientId: "c-1", courseId: "course-1" }));
    await vi.waitFor(() => expect(screen.getByLabelText("Course")).toHaveValue("course-1"));

    await user.click(q(container, "#start-course"));
    expect(calls("start_course")).toEqual([]);
    await user.click(q(container, "#start-course-confirm"));
    await vi.waitFor(() => expect(q(container, "#course-status")).toHaveTextContent("Course 3 started on Tue 1 Dec 2026."));
    expect(calls("start_course")).toEqual([{ clientId: "c-1" }]);
    expect(calls("get_timeline").at(-1)).toEqual({ clientId: "c-1", courseId: null });
  });

  it("offers no course choice while there is only one", async () => {
    backend(timeline());
    const { container } = await renderTimeline();
    expect(container.querySelector("#course-select")).toBeNull();
    expect(container.querySelector("#start-course")).not.toBeNull();
  });

  it("opens the client's details for editing", async () => {
    backend(timeline());
    const onEdit = vi.fn();
    const user = userEvent.setup();
    const { container } = await renderTimeline(onEdit);
    await user.click(q(container, "#edit-client"));
    expect(onEdit).toHaveBeenCalledWith("c-1");
  });
});
