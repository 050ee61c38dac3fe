import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import AuditTrail from "./AuditTrail.svelte";
import { fakeBackend, invokeMock } from "../test/backend";
import { summary } from "../test/fixtures";
import type { AuditEntry } from "../lib/bindings/AuditEntry";
import type { AuditPage } from "../lib/bindings/AuditPage";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function entry(number: number, event: string, label: string, detail = ""): AuditEntry {
  return { number, at: "", atLocal: `2026-12-0${1 + (number % 5)} 09:${String(number).padStart(2, "0")}`, event, label, detail, hash: null };
}

// Five entries, shown two at a time, newest first, as Rust pages them.
const TRAIL = [
  entry(1, "vault_created", "Vault created"),
  entry(2, "client_created", "Client created", "client-ilse"),
  entry(3, "unlocked", "Unlocked"),
  entry(4, "psychotherapy_note_viewed", "Psychotherapy note viewed", "session-7"),
  entry(5, "locked", "Locked", "idle"),
];

function page({ clientId, before }: Record<string, unknown>): AuditPage {
  const matching = TRAIL.filter((e) => !clientId || e.detail === clientId);
  const older = matching.filter((e) => before == null || e.number < (before as number));
  const shown = older.slice(-2).reverse();
  return { entries: shown, matching: matching.length, older: older.length > shown.length };
}

function rows(container: Element): string[][] {
  return [...container.querySelectorAll("#audit-table tbody tr")].map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? ""),
  );
}

describe("the audit trail in Settings", () => {
  it("shows the newest entries first in words, and older ones a page at a time", async () => {
    fakeBackend({ list_clients: () => [], audit_trail: page });
    const user = userEvent.setup();
    const { container } = render(AuditTrail, {});
    await screen.findByText("Showing the newest 2 entries of 5 entries.");
    expect(rows(container)).toEqual([
      ["5", "2026-12-01 09:05", "Locked", "idle"],
      ["4", "2026-12-05 09:04", "Psychotherapy note viewed", "session-7"],
    ]);

    await user.click(screen.getByRole("button", { name: "Show older entries" }));
    await screen.findByText("Showing the newest 4 entries of 5 entries.");
    expect(rows(container).map((r) => r[0])).toEqual(["5", "4", "3", "2"]);
    expect(invokeMock).toHaveBeenLastCalledWith("audit_trail", { clientId: null, before: 4 });

    await user.click(screen.getByRole("button", { name: "Show older entries" }));
    await screen.findByText("Showing the newest 5 entries of 5 entries.");
    expect(screen.queryByRole("button", { name: "Show older entries" })).toBeNull();
  });

  it("shows one client's entries when that client is chosen", async () => {
    fakeBackend({
      list_clients: () => [summary({ id: "client-ilse", displayName: "Ilse Marín" })],
      audit_trail: page,
    });
    const user = userEvent.setup();
    const { container } = render(AuditTrail, {});
    await screen.findByText("Showing the newest 2 entries of 5 entries.");
    await user.selectOptions(screen.getByLabelText("Show"), "Ilse Marín");
    await screen.findByText("Showing the newest 1 entry of 1 entry.");
    expect(rows(container)).toEqual([["2", "2026-12-03 09:02", "Client created", "client-ilse"]]);
    expect(invokeMock).toHaveBeenLastCalledWith("audit_trail", { clientId: "client-ilse", before: null });
  });

  it("says the trail is whole, or names the first entry found wrong", async () => {
    let broken = false;
    fakeBackend({
      list_clients: () => [],
      audit_trail: page,
      check_audit_trail: () => ({
        anchor: { entries: 5, head: "ab".repeat(32) },
        summary: "The audit trail is intact: 5 entries, each sealed to the one before.",
        problem: broken ? { entry: 3, message: "Its seal does not match its contents: it was changed after it was written." } : null,
      }),
    });
    const user = userEvent.setup();
    const { container } = render(AuditTrail, {});
    await screen.findByText("Showing the newest 2 entries of 5 entries.");
    await user.click(screen.getByRole("button", { name: "Check every seal" }));
    expect(await screen.findByText(/The audit trail is intact: 5 entries/)).toBeInTheDocument();
    expect(container.querySelector("#audit-check-problem")).toBeNull();

    broken = true;
    await user.click(screen.getByRole("button", { name: "Check every seal" }));
    const problem = await vi.waitFor(() => {
      const el = container.querySelector("#audit-check-problem");
      if (!el) throw new Error("no problem shown");
      return el;
    });
    expect(problem).toHaveTextContent("Entry 3: Its seal does not match its contents");
    expect(screen.queryByText(/The audit trail is intact/)).toBeNull();
  });
});
