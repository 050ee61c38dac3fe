import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import SafetyPlanCard from "./SafetyPlanCard.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import type { SafetyPlan } from "../lib/bindings/SafetyPlan";
import type { SafetyPlanInput } from "../lib/bindings/SafetyPlanInput";
import type { SafetyPlanWording } from "../lib/bindings/SafetyPlanWording";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const PARTS = [
  ["warning_signs", "1. Signs that a hard time may be starting"],
  ["coping_strategies", "2. Things I can do on my own to feel calmer"],
  ["distractions", "3. People and places that help take my mind off things"],
  ["people_to_ask", "4. People I can ask for help"],
  ["professionals", "5. Professionals and crisis lines I can call"],
  ["safe_environment", "6. Making my space safer"],
  ["reasons_to_live", "7. My reasons to keep going"],
] as const;

const WORDING: SafetyPlanWording = {
  revision: 1,
  title: "My safety plan",
  introduction: "We made this plan together.",
  danger: "If you are in danger now, call 911.",
  therapist: "My therapist, {{therapist}}: {{phone}}",
  sections: PARTS.map(([id, heading]) => ({ id, heading, prompt: `Prompt for ${id}` })),
};

function plan(version: number, reasons: string[]): SafetyPlan {
  return {
    id: `p-${version}`,
    clientId: "c-1",
    version,
    writtenOn: "2026-12-01",
    sections: {
      warningSigns: ["Staying in bed"],
      copingStrategies: [],
      distractions: [],
      peopleToAsk: [],
      professionals: [],
      safeEnvironment: [],
      reasonsToLive: reasons,
    },
    createdAt: "2026-12-01T15:00:00Z",
  };
}

describe("the safety plan card", () => {
  it("shows the seven parts with the current version filled in, and saves a new version keeping the old", async () => {
    let saved: SafetyPlanInput | null = null;
    fakeBackend({
      get_safety_plan_wording: () => WORDING,
      list_safety_plans: () => [plan(1, ["My daughter"])],
      save_safety_plan: (args) => {
        saved = args.plan as SafetyPlanInput;
        return { ...plan(2, saved.sections.reasonsToLive), writtenOn: saved.writtenOn };
      },
    });
    const user = userEvent.setup();
    render(SafetyPlanCard, { clientId: "c-1", today: "2026-12-05" });

    for (const [, heading] of PARTS) expect(await screen.findByLabelText(heading)).toBeInTheDocument();
    expect(screen.getByText(/Version 1, written with the client on/)).toBeInTheDocument();
    const reasons = screen.getByLabelText("7. My reasons to keep going");
    expect(reasons).toHaveValue("My daughter");

    await user.type(reasons, "\nThe mountains");
    await user.click(screen.getByRole("button", { name: "Save as a new version" }));

    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Saved as version 2"));
    expect(screen.getByRole("status")).toHaveTextContent("Earlier versions are kept");
    expect(saved!.sections.reasonsToLive).toEqual(["My daughter", "The mountains"]);
    expect(saved!.sections.warningSigns).toEqual(["Staying in bed"]);
    expect(saved!.writtenOn).toBe("2026-12-05");
    expect(screen.getByText(/Version 2/)).toHaveTextContent("1 earlier version kept.");
  });

  it("shows Rust's sentence beside the part it names", async () => {
    fakeBackend({
      get_safety_plan_wording: () => WORDING,
      list_safety_plans: () => [],
      save_safety_plan: () => {
        throw commandError("invalid_input", "A line in People to ask for help is longer than 200 characters.", "peopleToAsk");
      },
    });
    const user = userEvent.setup();
    render(SafetyPlanCard, { clientId: "c-1", today: "2026-12-05" });
    expect(await screen.findByLabelText("1. Signs that a hard time may be starting")).toBeInTheDocument();
    expect(screen.getByText(/No safety plan yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Print for the client" })).toBeDisabled();
    await user.click(screen.getByRole("button", { name: "Save as a new version" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("longer than 200 characters");
    expect(alert).toHaveAttribute("data-error-for", "peopleToAsk");
    expect(screen.getByLabelText("4. People I can ask for help")).toHaveAttribute("aria-invalid", "true");
  });

  it("prints the current version for the client", async () => {
    fakeBackend({
      get_safety_plan_wording: () => WORDING,
      list_safety_plans: () => [plan(1, ["My daughter"])],
      print_safety_plan: () => ({ path: "/home/t/safety-plan-JA-2026-12-05.pdf", bytes: 1000 }),
    });
    const user = userEvent.setup();
    render(SafetyPlanCard, { clientId: "c-1", today: "2026-12-05" });
    await user.click(await screen.findByRole("button", { name: "Print for the client" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("safety-plan-JA-2026-12-05.pdf"));
    expect(invokeMock).toHaveBeenCalledWith("print_safety_plan", { clientId: "c-1", version: null });
  });

  it("shows earlier versions as they were written, each printable", async () => {
    fakeBackend({
      get_safety_plan_wording: () => WORDING,
      list_safety_plans: () => [plan(3, ["The mountains"]), plan(2, ["My daughter"]), plan(1, [])],
      print_safety_plan: () => ({ path: "/home/t/safety-plan-JA-2026-12-01.pdf", bytes: 1000 }),
    });
    const user = userEvent.setup();
    render(SafetyPlanCard, { clientId: "c-1", today: "2026-12-05" });
    const earlier = await screen.findByText("Earlier versions (2)");
    await user.click(earlier);
    const second = screen.getByRole("article", { name: /Version 2, written with the client on/ });
    expect(second).toHaveTextContent("My daughter");
    expect(second).not.toHaveTextContent("The mountains");
    const first = screen.getByRole("article", { name: /Version 1/ });
    expect(first).toHaveTextContent("Left empty.");
    // The form still holds the current version.
    expect(screen.getByLabelText("7. My reasons to keep going")).toHaveValue("The mountains");
    await user.click(screen.getByRole("button", { name: "Print version 2" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("safety-plan-JA-2026-12-01.pdf"));
    expect(invokeMock).toHaveBeenCalledWith("print_safety_plan", { clientId: "c-1", version: 2 });
  });
});
