import { fireEvent, render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import DosingDay from "./DosingDay.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { checks, DISCHARGE_CHECKS, dosingRecord, START_CHECKS } from "../test/dosingFixtures";
import { flushUnsaved, hasUnsavedGuard } from "../lib/unsaved";
import type { AdverseEventInput } from "../lib/bindings/AdverseEventInput";
import type { DosingCheck } from "../lib/bindings/DosingCheck";
import type { DosingPlan } from "../lib/bindings/DosingPlan";
import type { DosingRecord } from "../lib/bindings/DosingRecord";
import type { DosingWatch } from "../lib/bindings/DosingWatch";
import type { Medication } from "../lib/bindings/Medication";
import type { VitalsInput } from "../lib/bindings/VitalsInput";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

type Handlers = Parameters<typeof fakeBackend>[0];

const SESSION = "s-dose-1";
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A backend that keeps the record and the drafts, answering writes as Rust would. */
/** Not today: nothing live, the schedule as it stands. */
const NOT_LIVE: DosingWatch = {
  live: false,
  sinceDose: null,
  prompts: [
    { phase: "pre_dose", label: "Before the dose", dueAt: null, state: "due", doneAt: null },
    { phase: "during", label: "About 40 minutes after the dose", dueAt: null, state: "waiting_for_dose", doneAt: null },
    { phase: "discharge", label: "Before discharge", dueAt: null, state: "before_discharge", doneAt: null },
  ],
  dueNow: [],
};

function backend(start: DosingRecord, extra: Handlers = {}, watch: DosingWatch = NOT_LIVE) {
  let record = start;
  const drafts = new Map<string, string>();
  const tick = (check: DosingCheck, at: string | null) => {
    const set = (list: DosingRecord["startChecks"]) => list.map((c) => (c.check === check ? { ...c, at } : c));
    record = { ...record, startChecks: set(record.startChecks), dischargeChecks: set(record.dischargeChecks) };
    return record;
  };
  fakeBackend({
    get_dosing_record: () => record,
    get_dosing_watch: () => watch,
    set_dosing_check: ({ check, at }) => tick(check as DosingCheck, at as string | null),
    save_dosing_plan: ({ plan }) => (record = { ...record, plan: plan as DosingPlan }),
    save_medication: ({ medication }) => (record = { ...record, medication: medication as Medication }),
    add_vitals: ({ vitals }) => {
      const v = vitals as VitalsInput;
      const [systolic, diastolic] = v.bloodPressure.split("/").map(Number);
      record = {
        ...record,
        vitals: [
          ...record.vitals,
          { id: `v-${record.vitals.length + 1}`, at: v.at, phase: v.phase, systolic: systolic!, diastolic: diastolic!, heartRate: v.heartRate, spo2: v.spo2 },
        ],
      };
      return record;
    },
    get_form_draft: ({ key }) => drafts.get(key as string) ?? null,
    save_form_draft: ({ key, body }) => {
      drafts.set(key as string, body as string);
    },
    clear_form_draft: ({ key }) => {
      drafts.delete(key as string);
    },
    ...extra,
  });
  return { drafts, record: () => record };
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

async function renderDosing() {
  const view = render(DosingDay, { clientId: "c-1", sessionId: SESSION });
  await screen.findByRole("heading", { level: 1, name: /Dosing 1 of 6/ });
  return view;
}

describe("the dosing-day screen", () => {
  it("shows what is still needed before dosing, checked again on opening, and the reason it was booked anyway", async () => {
    backend(
      dosingRecord({
        session: { ...dosingRecord().session, gateOverride: "Clearance renewal faxed, arriving today." },
        stillNeeded: [
          {
            kind: "medical_clearance",
            open: true,
            title: "Medical clearance",
            detail: "Expired on Monday 30 November 2026 (before Thursday 3 December 2026)",
            howToClose: "Ask the partner medical team for a renewed clearance and record it.",
          },
        ],
      }),
    );
    render(DosingDay, { sessionId: SESSION });
    const notice = await screen.findByRole("alert");
    expect(notice).toHaveTextContent("Still needed before dosing");
    expect(notice).toHaveTextContent("Medical clearance: Expired on Monday 30 November 2026");
    expect(notice).toHaveTextContent("Booked with a written reason: Clearance renewal faxed, arriving today.");
  });

  it("shows no such notice when everything needed is in place", async () => {
    backend(dosingRecord());
    render(DosingDay, { sessionId: SESSION });
    // Two identifiers under the title, as clinics use (the record has loaded).
    await vi.waitFor(() =>
      expect(document.querySelector("#dosing-client-identity")).toHaveTextContent(
        "Jordan Alvarez, born Saturday 12 April 1986",
      ),
    );
    expect(document.querySelector("#dosing-still-needed")).toBeNull();
  });

  it("keeps the written reason in sight, calmly, once everything needed is in place", async () => {
    backend(dosingRecord({ session: { ...dosingRecord().session, gateOverride: "Clearance renewal faxed, arriving today." } }));
    render(DosingDay, { sessionId: SESSION });
    const notice = await vi.waitFor(() => {
      const el = document.querySelector("#dosing-override-resolved");
      if (!el) throw new Error("not yet");
      return el;
    });
    expect(notice).toHaveTextContent("Booked with a written reason: Clearance renewal faxed, arriving today.");
    expect(notice).toHaveTextContent("Everything needed before dosing is now in place.");
    expect(document.querySelector("#dosing-still-needed")).toBeNull();
  });

  it("shows the session, its plan, checks, readings, events and what discharge still needs", async () => {
    backend(
      dosingRecord({
        plan: { intentions: "Meet the grief with kindness.", rideName: "", ridePhone: "" },
        startChecks: checks(START_CHECKS, { fasting: "08:40" }),
        vitals: [{ id: "v-1", at: "08:50", phase: "pre_dose", systolic: 128, diastolic: 82, heartRate: 72, spo2: 98 }],
        events: [
          {
            id: "e-1",
            at: "09:40",
            kind: "nausea",
            severity: "mild",
            description: "",
            action: "Ginger tea; monitored.",
            prescriberInformedAt: null,
          },
        ],
        dischargeMissing: ["steady on feet", "the discharge time"],
        warnings: ["The pre-dose blood pressure 128/82 is above the practice's threshold of 120/80."],
      }),
    );
    const { container } = await renderDosing();
    expect(container.querySelector('[data-screen="dosing"]')).not.toBeNull();
    const title = q(container, "#dosing-title");
    expect(title).toHaveTextContent("Dosing 1 of 6: Jordan Alvarez");
    expect(title).toHaveTextContent("Thu 10 Dec 2026, 09:00");

    const warnings = q(container, "#dosing-warnings");
    expect(warnings).toHaveAttribute("role", "alert");
    expect(warnings).toHaveTextContent("above the practice's threshold");
    expect(container.querySelector("#dosing-locked")).toBeNull();

    expect(q(container, "#dosing-intentions")).toHaveValue("Meet the grief with kindness.");
    expect(q(container, "#dosing-ride-name")).toHaveValue("");
    expect(q(container, "#dosing-ride-name")).toHaveAttribute("placeholder", "Sam Alvarez");
    expect(q(container, "#dosing-ride-phone")).toHaveAttribute("placeholder", "555-0100");
    expect(q(container, "#dosing-ride-name")).toHaveAccessibleDescription(/Leave empty to use the client's usual ride home/);

    for (const check of [...START_CHECKS, ...DISCHARGE_CHECKS]) expect(q(container, `#check-${check}`)).toBeInTheDocument();
    expect(screen.getByLabelText("Fasted as instructed")).toBeChecked();
    expect(screen.getByLabelText("Medication brought")).not.toBeChecked();
    expect(q(container, "#check-fasting-at")).toHaveValue("08:40");
    expect(container.querySelector("#check-medication_brought-at")).toBeNull();

    expect(q(container, "#med-note")).toHaveTextContent("KAP Desk never suggests a dose.");
    expect(container.querySelector("#med-route-other")).toBeNull();

    const row = q(container, "#vitals-table tbody tr");
    expect(row).toHaveTextContent("08:50");
    expect(row).toHaveTextContent("Before the dose");
    expect(row).toHaveTextContent("128/82");
    expect(row).toHaveTextContent("72");
    expect(row).toHaveTextContent("98%");
    expect(q(row, ".remove-vitals")).toHaveAccessibleName("Remove the reading at 08:50 (128/82)");
    expect(q(container, "#vitals-phase")).toHaveValue("during");
    expect(q<HTMLInputElement>(container, "#vitals-at").value).toMatch(HHMM);

    const event = q(container, "#events-list li");
    expect(event).toHaveTextContent("09:40");
    expect(event).toHaveTextContent("Nausea");
    expect(event).toHaveTextContent("Ginger tea; monitored.");
    expect(q(event, ".remove-event")).toBeInTheDocument();

    expect(q(container, "#discharge-missing")).toHaveTextContent("Still to do before completing:");
    expect(q(container, "#discharge-missing")).toHaveTextContent("the discharge time");
    expect(q(container, "#complete-dosing")).toHaveTextContent("Complete the dosing session");

    // Every input has a label.
    for (const input of container.querySelectorAll("input, select, textarea")) {
      expect(input, input.id).toHaveAccessibleName();
    }
  });

  it("removes a reading only once the therapist says yes", async () => {
    const reading = { id: "v-1", at: "08:50", phase: "pre_dose" as const, systolic: 128, diastolic: 82, heartRate: 72, spo2: 98 };
    backend(dosingRecord({ vitals: [reading] }), { remove_vitals: () => dosingRecord({ vitals: [] }) });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.click(q(container, ".remove-vitals"));
    expect(q(container, "#remove-vitals-v-1-question")).toHaveTextContent(
      "Remove the reading at 08:50 (128/82)? The audit trail keeps that it was removed.",
    );
    expect(calls("remove_vitals")).toEqual([]);
    await user.click(q(container, "#remove-vitals-v-1-keep"));
    expect(q(container, ".remove-vitals")).toHaveFocus();
    await user.click(q(container, ".remove-vitals"));
    await user.click(q(container, "#remove-vitals-v-1-confirm"));
    await vi.waitFor(() => expect(calls("remove_vitals")).toEqual([{ sessionId: SESSION, id: "v-1" }]));
    await vi.waitFor(() => expect(q(container, "#vitals-status")).toHaveTextContent("Reading at 08:50 removed."));
  });

  it("ticks a check at the current time, lets the time be changed, and unticks with null", async () => {
    backend(dosingRecord());
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.click(q(container, "#check-fasting"));

    await vi.waitFor(() => expect(calls("set_dosing_check")).toHaveLength(1));
    const sent = calls("set_dosing_check")[0]!;
    expect(sent).toMatchObject({ sessionId: SESSION, check: "fasting" });
    expect(sent.at).toMatch(HHMM);
    const at = await vi.waitFor(() => q<HTMLInputElement>(container, "#check-fasting-at"));
    expect(at.value).toBe(sent.at);

    await fireEvent.change(at, { target: { value: "08:15" } });
    await vi.waitFor(() =>
      expect(calls("set_dosing_check").at(-1)).toEqual({ sessionId: SESSION, check: "fasting", at: "08:15" }),
    );

    await user.click(q(container, "#check-fasting"));
    await vi.waitFor(() => expect(calls("set_dosing_check").at(-1)).toEqual({ sessionId: SESSION, check: "fasting", at: null }));
    await vi.waitFor(() => expect(container.querySelector("#check-fasting-at")).toBeNull());
    expect(q(container, "#check-fasting")).not.toBeChecked();
  });

  it("autosaves the plan as the therapist types and shows a refusal by its field, keeping the text", async () => {
    const message = "Add the name of the person driving the client home, with their phone.";
    backend(dosingRecord(), {
      save_dosing_plan: ({ plan }) => {
        const p = plan as DosingPlan;
        if (p.rideName === "" && p.ridePhone !== "") throw commandError("invalid_input", message, "rideName");
        return dosingRecord({ plan: p });
      },
    });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    const saved = q(container, "#dosing-saved");
    expect(saved).toHaveAttribute("role", "status");

    await user.type(q(container, "#dosing-intentions"), "Rest");
    await vi.waitFor(() => expect(saved).toHaveTextContent("Saved"), { timeout: 2000 });
    expect(calls("save_dosing_plan")).toEqual([{ sessionId: SESSION, plan: { intentions: "Rest", rideName: "", ridePhone: "" } }]);

    await user.type(q(container, "#dosing-ride-phone"), "555-0199");
    await user.tab();
    const error = await vi.waitFor(() => q(container, '[data-error-for="rideName"]'));
    expect(error).toHaveTextContent(message);
    expect(error).toHaveAttribute("role", "alert");
    expect(q(container, "#dosing-ride-phone")).toHaveValue("555-0199");
    expect(q(container, "#dosing-ride-name")).toHaveAttribute("aria-invalid", "true");
  });

  it("saves the plan at once on Enter in a one-line box", async () => {
    backend(dosingRecord());
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.type(q(container, "#dosing-ride-name"), "Robin Lee{Enter}");
    expect(calls("save_dosing_plan")).toEqual([{ sessionId: SESSION, plan: { intentions: "", rideName: "Robin Lee", ridePhone: "" } }]);
    await vi.waitFor(() => expect(q(container, "#dosing-saved")).toHaveTextContent("Saved"));
  });

  it("shows Rust's refusal of a reading and keeps what was typed", async () => {
    const message =
      "A blood pressure of 400/20 is not a possible reading: the upper number (systolic) is between 60 and 260 mmHg and the lower (diastolic) between 30 and 160. Please measure again.";
    backend(dosingRecord(), {
      add_vitals: () => {
        throw commandError("invalid_input", message, "bloodPressure");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    expect(q(container, "#vitals-phase")).toHaveValue("pre_dose");
    expect(q(container, "#vitals-bp")).toHaveAttribute("placeholder", "128/82");

    await user.type(q(container, "#vitals-bp"), "400/20");
    await user.type(q(container, "#vitals-hr"), "70");
    await user.type(q(container, "#vitals-spo2"), "97{Enter}");

    const error = await vi.waitFor(() => q(container, "#vitals-error"));
    expect(error).toHaveTextContent(message);
    expect(error).toHaveAttribute("role", "alert");
    const sent = calls("add_vitals")[0]!;
    expect(sent.sessionId).toBe(SESSION);
    expect(sent.vitals).toMatchObject({ phase: "pre_dose", bloodPressure: "400/20", heartRate: 70, spo2: 97 });
    expect((sent.vitals as VitalsInput).at).toMatch(HHMM);
    expect(q(container, "#vitals-bp")).toHaveValue("400/20");
    expect(q(container, "#vitals-bp")).toHaveFocus();
    expect(q(container, "#vitals-hr")).toHaveValue(70);
  });

  it("keeps a half-typed reading as a draft in the vault, restores it, and clears it once added", async () => {
    const first = backend(dosingRecord());
    const user = userEvent.setup();
    const view = await renderDosing();
    await user.type(q(view.container, "#vitals-bp"), "132/84");
    await vi.waitFor(() => expect(first.drafts.has(`vitals:${SESSION}`)).toBe(true), { timeout: 2000 });
    const kept = JSON.parse(first.drafts.get(`vitals:${SESSION}`)!);
    expect(kept).toMatchObject({ phase: "pre_dose", bloodPressure: "132/84", heartRate: null });
    expect(calls("save_form_draft").at(-1)?.key).toBe(`vitals:${SESSION}`);
    view.unmount();

    // The app is opened again: the draft comes back from the vault.
    fakeBackend({
      get_dosing_record: () => dosingRecord(),
      get_form_draft: ({ key }) =>
        key === `vitals:${SESSION}`
          ? JSON.stringify({ at: "08:55", phase: "pre_dose", bloodPressure: "132/84", heartRate: 76, spo2: null })
          : null,
      save_form_draft: () => undefined,
      clear_form_draft: () => undefined,
      add_vitals: () => dosingRecord({ vitals: [{ id: "v-1", at: "08:55", phase: "pre_dose", systolic: 132, diastolic: 84, heartRate: 76, spo2: null }] }),
    });
    const { container } = await renderDosing();
    await vi.waitFor(() => expect(q(container, "#vitals-bp")).toHaveValue("132/84"));
    expect(q(container, "#vitals-at")).toHaveValue("08:55");
    expect(q(container, "#vitals-hr")).toHaveValue(76);
    expect(calls("get_form_draft")).toContainEqual({ key: `vitals:${SESSION}` });

    await user.click(q(container, "#vitals-add"));
    await vi.waitFor(() => expect(calls("clear_form_draft")).toContainEqual({ key: `vitals:${SESSION}` }));
    expect(q(container, "#vitals-table tbody tr")).toHaveTextContent("132/84");
    expect(q(container, "#vitals-bp")).toHaveValue("");
    expect(q(container, "#vitals-phase")).toHaveValue("during");
  });

  it("shows why the session cannot be completed yet, then closes the record once discharge is done", async () => {
    const refusal =
      "Dosing 1 of 6 cannot be marked completed before the discharge checklist is done. Still missing: steady on feet and the discharge time.";
    let discharged = false;
    fakeBackend({
      get_dosing_record: () =>
        discharged
          ? dosingRecord({
              session: { ...dosingRecord().session, status: "completed" },
              dischargeChecks: checks(DISCHARGE_CHECKS, { effects_subsided: "12:00", steady_on_feet: "12:00", ride_present: "12:05" }),
              dischargedAt: "12:05",
              dischargeMissing: [],
              locked: true,
            })
          : dosingRecord(),
      get_form_draft: () => null,
      set_session_status: () => {
        if (!discharged) throw commandError("invalid_input", refusal, "status");
        return dosingRecord().session;
      },
    });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.click(q(container, "#complete-dosing"));
    // It asks first, since completing closes the record for good.
    expect(q(container, "#complete-dosing-question")).toHaveTextContent("closes for good");
    expect(calls("set_session_status")).toEqual([]);
    await user.click(q(container, "#complete-dosing-confirm"));
    const error = await vi.waitFor(() => q(container, "#complete-error"));
    expect(error).toHaveTextContent(refusal);
    expect(error).toHaveAttribute("role", "alert");
    expect(calls("set_session_status")).toEqual([{ sessionId: SESSION, status: "completed" }]);

    discharged = true;
    await user.click(q(container, "#complete-dosing"));
    await user.click(q(container, "#complete-dosing-confirm"));
    const locked = await vi.waitFor(() => q(container, "#dosing-locked"));
    expect(locked).toHaveTextContent(
      "This dosing session is completed; its record is closed. Corrections go in the session note as an addendum.",
    );
    expect(locked).toHaveFocus();
    expect(container.querySelector("#complete-dosing")).toBeNull();
    expect(container.querySelector("#vitals-form")).toBeNull();
    expect(container.querySelector("#event-form")).toBeNull();
    expect(q(container, "#check-steady_on_feet")).toBeDisabled();
    expect(q(container, "#dosing-intentions")).toHaveAttribute("readonly");
    expect(q(container, "#discharge-at")).toHaveValue("12:05");
  });

  it("sets the discharge time to now", async () => {
    backend(dosingRecord(), {
      set_discharge_time: ({ at }) => dosingRecord({ dischargedAt: at as string }),
    });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.click(q(container, "#discharge-now"));
    await vi.waitFor(() => expect(calls("set_discharge_time")).toHaveLength(1));
    const at = calls("set_discharge_time")[0]!.at as string;
    expect(at).toMatch(HHMM);
    await vi.waitFor(() => expect(q(container, "#discharge-at")).toHaveValue(at));
  });

  it("prints the handout and says where it went, or why it could not", async () => {
    let refuse = false;
    const refusal = "The handout needs a ride home: add one to the plan or to the client's details.";
    backend(dosingRecord(), {
      print_handout: () => {
        if (refuse) throw commandError("invalid_input", refusal, "rideName");
        return { path: "/home/t/handout-jordan-alvarez-2026-12-10.pdf", bytes: 51_200 };
      },
    });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.click(q(container, "#print-handout"));
    await vi.waitFor(() =>
      expect(q(container, "#handout-result")).toHaveTextContent(
        "Saved to /home/t/handout-jordan-alvarez-2026-12-10.pdf (50 KB). Exported files are not encrypted; keep them safe.",
      ),
    );
    expect(calls("print_handout")).toEqual([{ sessionId: SESSION }]);

    refuse = true;
    await user.click(q(container, "#print-handout"));
    await vi.waitFor(() => expect(q(container, "#handout-result")).toHaveTextContent(refusal));
    expect(q(container, "#handout-result")).not.toHaveTextContent("Saved to");
  });

  it("records an adverse event, showing Rust's refusal first and keeping what was typed", async () => {
    const message = "Describe what happened when the event is \u201cother\u201d.";
    backend(dosingRecord(), {
      add_adverse_event: ({ event }) => {
        const e = event as AdverseEventInput;
        if (e.kind === "other" && e.description === "") throw commandError("invalid_input", message, "description");
        return dosingRecord({ events: [{ id: "e-1", ...e }] });
      },
    });
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.selectOptions(q(container, "#event-kind"), "Other");
    await user.type(q(container, "#event-action"), "Sat with them");
    // A severity is never assumed: the form asks before anything is sent.
    await user.click(q(container, "#event-add"));
    const unchosen = await vi.waitFor(() => q(container, "#event-error"));
    expect(unchosen).toHaveTextContent("Choose how severe the event was");
    expect(q(container, "#event-severity")).toHaveFocus();
    expect(calls("add_adverse_event")).toEqual([]);
    await user.selectOptions(q(container, "#event-severity"), "Mild");
    await user.click(q(container, "#event-add"));
    const error = await vi.waitFor(() => q(container, "#event-error"));
    expect(error).toHaveTextContent(message);
    expect(q(container, "#event-description")).toHaveFocus();
    expect(q(container, "#event-action")).toHaveValue("Sat with them");

    await user.type(q(container, "#event-description"), "Felt cold{Enter}");
    await vi.waitFor(() => expect(q(container, "#events-list li")).toHaveTextContent("Felt cold"));
    expect(q(container, "#events-list li")).toHaveTextContent("Other");
    expect(q(container, "#events-list li")).toHaveTextContent("Sat with them");
    expect(container.querySelector("#event-error")).toBeNull();
    expect(q(container, "#event-action")).toHaveValue("");
    expect(calls("clear_form_draft")).toContainEqual({ key: `event:${SESSION}` });
  });

  it("shows the time since the dose and the reading that is due, as Rust judges them", async () => {
    const live: DosingWatch = {
      live: true,
      sinceDose: "40 minutes since the dose (taken at 09:10)",
      prompts: [
        { phase: "pre_dose", label: "Before the dose", dueAt: null, state: "done", doneAt: "09:02" },
        { phase: "during", label: "About 40 minutes after the dose (09:50)", dueAt: "09:50", state: "due", doneAt: null },
        { phase: "discharge", label: "Before discharge", dueAt: null, state: "before_discharge", doneAt: null },
      ],
      dueNow: ["Vital signs are due now: about 40 minutes after the dose (09:50)."],
    };
    backend(dosingRecord(), {}, live);
    const { container } = await renderDosing();
    await vi.waitFor(() => expect(q(container, "#dosing-since-dose")).toHaveTextContent("40 minutes since the dose (taken at 09:10)"));
    expect(q(container, "#dosing-watch")).toHaveTextContent("Vital signs are due now: about 40 minutes after the dose (09:50).");
    const items = [...container.querySelectorAll("#vitals-schedule li")].map((li) => li.textContent?.replace(/\s+/g, " ").trim());
    expect(items).toEqual([
      "Before the dose Taken at 09:02",
      "About 40 minutes after the dose (09:50) Due now",
      "Before discharge Needed before discharge",
    ]);
  });

  it("shows nothing live on a day that is not today", async () => {
    backend(dosingRecord());
    const { container } = await renderDosing();
    await vi.waitFor(() => expect(container.querySelectorAll("#vitals-schedule li")).toHaveLength(3));
    expect(container.querySelector("#dosing-watch")).toBeNull();
  });

  it("names a difference from the prescription and asks why, beside the prescription", async () => {
    const difference = "Dose: prescribed \u201c200 mg\u201d, recorded 300 mg in all.";
    backend(
      dosingRecord({
        prescribed: {
          medication: "Ketamine",
          route: "sublingual",
          dose: "200 mg",
          prescriber: "Dr. Lee",
          prescribedOn: "2026-11-12",
          validUntil: "",
          medicationInstructions: "",
        },
        prescriptionDifferences: [difference],
      }),
    );
    const user = userEvent.setup();
    const { container } = await renderDosing();
    expect(q(container, "#med-prescribed")).toHaveTextContent("Prescription on file: Ketamine, sublingual, 200 mg");
    expect(q(container, "#med-differences")).toHaveTextContent(difference);
    await user.type(q(container, "#med-difference-reason"), "Prescriber asked for 300 mg by phone");
    await user.click(q(container, "#med-save"));
    await vi.waitFor(() =>
      expect(calls("save_medication").at(-1)?.medication).toMatchObject({ differenceReason: "Prescriber asked for 300 mg by phone" }),
    );
  });

  it("saves the medication with the time it was taken", async () => {
    backend(dosingRecord());
    const user = userEvent.setup();
    const { container } = await renderDosing();
    await user.type(q(container, "#med-name"), "Ketamine");
    await user.selectOptions(q(container, "#med-route"), "Sublingual tablet or troche");
    await user.type(q(container, "#med-dose"), "100");
    await user.type(q(container, "#med-units"), "2");
    await user.click(q(container, "#med-taken-now"));
    await vi.waitFor(() => expect(q(container, "#med-saved")).toHaveTextContent("Saved"));
    const sent = calls("save_medication").at(-1)!.medication as Medication;
    expect(sent).toMatchObject({ name: "Ketamine", route: "sublingual", dosePerUnitMg: 100, units: 2, boosterMg: null, boosterAt: null });
    expect(sent.takenAt).toMatch(HHMM);
    expect(q(container, "#med-taken-at")).toHaveValue(sent.takenAt);

    await user.selectOptions(q(container, "#med-route"), "Other");
    expect(q(container, "#med-route-other")).toBeInTheDocument();
  });

  describe("leaving, locking or closing mid-sentence", () => {
    it("sends the intentions at once, without waiting for the pause", async () => {
      const kept = backend(dosingRecord());
      const { container } = await renderDosing();
      expect(hasUnsavedGuard()).toBe(true);
      await fireEvent.input(q(container, "#dosing-intentions"), { target: { value: "Meet the grief" } });
      // The autosave waits for typing to pause; nothing has gone yet.
      expect(calls("save_dosing_plan")).toEqual([]);
      expect(await flushUnsaved()).toBe(true);
      expect(calls("save_dosing_plan")).toEqual([
        { sessionId: SESSION, plan: { intentions: "Meet the grief", rideName: "", ridePhone: "" } },
      ]);
      expect(kept.record().plan.intentions).toBe("Meet the grief");
      // Nothing more to send: the pending autosave was replaced, not added to.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(calls("save_dosing_plan")).toHaveLength(1);
    });

    it("sends the medication at once too", async () => {
      const kept = backend(dosingRecord());
      const { container } = await renderDosing();
      await fireEvent.input(q(container, "#med-name"), { target: { value: "Ketamine" } });
      expect(calls("save_medication")).toEqual([]);
      expect(await flushUnsaved()).toBe(true);
      expect(calls("save_medication")).toHaveLength(1);
      expect(kept.record().medication.name).toBe("Ketamine");
    });

    it("waits for a plan save already under way, then sends what was typed since", async () => {
      let release: () => void = () => {};
      backend(dosingRecord(), {
        save_dosing_plan: async ({ plan }) => {
          if (calls("save_dosing_plan").length === 1) await new Promise<void>((resolve) => (release = resolve));
          return dosingRecord({ plan: plan as DosingPlan });
        },
      });
      const user = userEvent.setup();
      const { container } = await renderDosing();
      await user.type(q(container, "#dosing-ride-name"), "Robin{Enter}");
      expect(calls("save_dosing_plan")).toHaveLength(1);
      await user.type(q(container, "#dosing-ride-name"), " Lee");

      let done = false;
      const flushed = flushUnsaved().then((saved) => {
        done = true;
        return saved;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(done).toBe(false);
      release();
      expect(await flushed).toBe(true);
      expect(calls("save_dosing_plan").map((c) => (c.plan as DosingPlan).rideName)).toEqual(["Robin", "Robin Lee"]);
    });

    it("keeps the half-typed reading and event as drafts at once", async () => {
      const kept = backend(dosingRecord());
      const { container } = await renderDosing();
      await fireEvent.input(q(container, "#vitals-bp"), { target: { value: "132/84" } });
      await fireEvent.input(q(container, "#event-description"), { target: { value: "Dizzy when stand" } });
      expect(calls("save_form_draft")).toEqual([]);
      expect(await flushUnsaved()).toBe(true);
      expect(calls("save_form_draft").map((c) => c.key).sort()).toEqual([`event:${SESSION}`, `vitals:${SESSION}`]);
      expect(JSON.parse(kept.drafts.get(`vitals:${SESSION}`)!)).toMatchObject({ bloodPressure: "132/84" });
      expect(JSON.parse(kept.drafts.get(`event:${SESSION}`)!)).toMatchObject({ description: "Dizzy when stand" });
      // Nothing typed since: nothing is sent again.
      expect(await flushUnsaved()).toBe(true);
      expect(calls("save_form_draft")).toHaveLength(2);
    });

    it("says when something could not be saved, holding the therapist once", async () => {
      const message = "The vault could not be written: the disk is full.";
      backend(dosingRecord(), {
        save_dosing_plan: () => {
          throw commandError("io", message);
        },
      });
      const user = userEvent.setup();
      const { container } = await renderDosing();
      await user.type(q(container, "#dosing-intentions"), "Rest");
      expect(await flushUnsaved()).toBe(false);
      expect(await vi.waitFor(() => q(container, "#dosing-unsaved-warning"))).toHaveTextContent(
        "leave once more to discard it",
      );
      expect(q(container, "#dosing-plan-error")).toHaveTextContent(message);
      expect(q(container, "#dosing-intentions")).toHaveValue("Rest");
      // Asking again lets them go.
      expect(await flushUnsaved()).toBe(true);
    });

    it("says so when a draft could not be kept", async () => {
      backend(dosingRecord(), {
        save_form_draft: () => {
          throw commandError("io", "The vault could not be written.");
        },
      });
      const user = userEvent.setup();
      const { container } = await renderDosing();
      await user.type(q(container, "#vitals-bp"), "132/84");
      expect(await flushUnsaved()).toBe(false);
      await vi.waitFor(() => q(container, "#dosing-unsaved-warning"));
    });

    it("stops guarding once the screen has gone", async () => {
      backend(dosingRecord());
      const { unmount } = await renderDosing();
      expect(hasUnsavedGuard()).toBe(true);
      unmount();
      expect(hasUnsavedGuard()).toBe(false);
    });
  });

  it("says when the idle lock is near during a live dosing, and not on another day", async () => {
    const live: DosingWatch = { ...NOT_LIVE, live: true, sinceDose: "42 minutes since the dose (taken at 13:10)" };
    const lock = { locksInSeconds: 110, lockAfterMinutes: 10, whatApplies: "" };
    backend(dosingRecord(), { lock_status: () => lock }, live);
    const view = await renderDosing();
    await vi.waitFor(() => expect(q(view.container, "#dosing-locks-in").textContent).toBe("Locks in 2 min unless you touch a key"));
    view.unmount();
    invokeMock.mockClear();

    // Far from the lock, or not live, nothing distracts from the session.
    backend(dosingRecord(), { lock_status: () => ({ ...lock, locksInSeconds: 540 }) }, live);
    const far = await renderDosing();
    await vi.waitFor(() => expect(calls("lock_status").length).toBeGreaterThan(0));
    await new Promise((done) => setTimeout(done, 0));
    expect(far.container.querySelector("#dosing-locks-in")).toBeNull();
    far.unmount();
    invokeMock.mockClear();
    backend(dosingRecord(), { lock_status: () => lock }, NOT_LIVE);
    const other = await renderDosing();
    await vi.waitFor(() => expect(calls("get_dosing_watch").length).toBeGreaterThan(0));
    await new Promise((done) => setTimeout(done, 0));
    expect(calls("lock_status")).toHaveLength(0);
    expect(other.container.querySelector("#dosing-locks-in")).toBeNull();
  });
});
