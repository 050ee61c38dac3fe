import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { listen } from "@tauri-apps/api/event";
import { describe, expect, it, vi } from "vitest";
import Notes from "./Notes.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { summary } from "../test/fixtures";
import { hit } from "../test/notes";
import type { ExportOutcome } from "../lib/bindings/ExportOutcome";
import type { ExportProgress } from "../lib/bindings/ExportProgress";
import type { ExportRequest } from "../lib/bindings/ExportRequest";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

type Handlers = Parameters<typeof fakeBackend>[0];

const CLIENTS = [
  summary({ id: "c-1", displayName: "Jordan Alvarez (Jo)", legalName: "Jordan Alvarez", preferredName: "Jo" }),
  summary({ id: "c-2", displayName: "Maya Chen", legalName: "Maya Chen", archived: true }),
];

function backend(extra: Handlers = {}) {
  fakeBackend({ list_clients: () => CLIENTS, ...extra });
}

/** Stands in for Tauri's event bus: lets a test emit "export-progress" while an export runs. */
function fakeEvents() {
  const handlers = new Map<string, (event: { payload: unknown }) => void>();
  const unlisten = vi.fn();
  vi.mocked(listen).mockImplementation(async (event, handler) => {
    handlers.set(event, handler as (event: { payload: unknown }) => void);
    return unlisten;
  });
  return {
    unlisten,
    emit(event: string, payload: unknown) {
      handlers.get(event)?.({ payload });
    },
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

async function renderNotes(onOpenNote = vi.fn(), searchDelayMs = 10) {
  const view = render(Notes, { onOpenNote, searchDelayMs });
  // The client selects are filled from the client list, archived clients included.
  await vi.waitFor(() => expect(view.container.querySelectorAll("#export-client option")).toHaveLength(3));
  return view;
}

const OUTCOME: ExportOutcome = {
  folder: "/home/dana/Exports/KAP notes",
  files: [
    { path: "/home/dana/Exports/KAP notes/Jordan Alvarez.pdf", bytes: 48213 },
    { path: "/home/dana/Exports/KAP notes/Jordan Alvarez - psychotherapy notes.pdf", bytes: 2048 },
  ],
  notes: 4,
  clients: 1,
  cancelled: false,
  integrityFailures: 0,
};

describe("searching notes", () => {
  it("searches once typing pauses, groups hits by client and marks the matching words", async () => {
    backend({
      search_notes: () => ({
        more: true,
        hits: [
        hit(),
        hit({ sessionId: "s-9", clientId: "c-2", clientName: "Maya Chen", sessionLabel: "Integration 1", date: "2026-11-20" }),
        hit({
          sessionId: "s-3",
          sessionLabel: "Dosing 1",
          date: "2026-12-03",
          source: "addendum",
          addendumSeq: 2,
          snippet: [
            { text: "felt ", hit: false },
            { text: "ready", hit: true },
            { text: " to stop", hit: false },
          ],
        }),
      ],
      }),
    });
    const onOpenNote = vi.fn();
    const user = userEvent.setup();
    // Long enough that the whole word is typed before the pause.
    const { container } = await renderNotes(onOpenNote, 150);
    expect(q(container, "[data-screen]")).toHaveAttribute("data-screen", "notes");

    await user.type(q(container, "#notes-search"), "ready");
    await vi.waitFor(() => expect(container.querySelectorAll(".search-hit")).toHaveLength(3));
    // One search for what was typed, not one per keystroke.
    expect(calls("search_notes")).toEqual([{ query: "ready" }]);

    const groups = [...container.querySelectorAll<HTMLElement>("#search-results .search-group")];
    expect(groups.map((g) => q(g, "h3").textContent)).toEqual(["Jordan Alvarez", "Maya Chen"]);
    const jordan = [...groups[0]!.querySelectorAll<HTMLElement>(".search-hit")];
    expect(jordan).toHaveLength(2);
    expect(jordan[0]).toHaveTextContent("Wed 25 Nov 2026");
    expect(jordan[0]).toHaveTextContent("Preparation 2");
    expect(jordan[0]).not.toHaveTextContent("Addendum");
    expect(jordan[1]).toHaveTextContent("Dosing 1");
    expect(jordan[1]).toHaveTextContent("Addendum 2");

    const marks = [...jordan[0]!.querySelectorAll("mark")];
    expect(marks.map((m) => m.textContent)).toEqual(["ready"]);
    expect(q(jordan[0]!, ".hit-snippet").textContent).toBe("…slept well and felt ready for the first dosing…");

    await user.click(jordan[1]!);
    expect(onOpenNote).toHaveBeenCalledWith("c-1", "s-3");
    expect(q(container, "#search-more")).toHaveTextContent("Add words to narrow the search.");
  });

  it("waits for two letters and says when nothing matches", async () => {
    backend({ search_notes: () => ({ hits: [], more: false }) });
    const user = userEvent.setup();
    const { container } = await renderNotes();
    await user.type(q(container, "#notes-search"), "k");
    await new Promise((r) => setTimeout(r, 40));
    expect(calls("search_notes")).toEqual([]);
    await user.type(q(container, "#notes-search"), "x");
    await vi.waitFor(() => expect(q(container, "#search-results")).toHaveTextContent("No notes match “kx”"));
  });

  it("shows Rust's message when the search fails", async () => {
    backend({
      search_notes: () => {
        throw commandError("database", "The search index could not be read.");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNotes();
    await user.type(q(container, "#notes-search"), "grief");
    expect(await screen.findByRole("alert")).toHaveTextContent("The search index could not be read.");
  });
});

describe("exporting notes", () => {
  it("warns before including psychotherapy notes and sends exactly what was chosen", async () => {
    const events = fakeEvents();
    const running = deferred<ExportOutcome>();
    backend({ export_notes: () => running.promise, cancel_export: () => null });
    const user = userEvent.setup();
    const { container } = await renderNotes();

    const notice = q(container, "#export-not-encrypted");
    expect(notice).toHaveTextContent("Exported files are not encrypted.");
    expect(container.querySelector("#export-pn-warning")).toBeNull();
    expect([...container.querySelectorAll("#export-client option")].map((o) => o.textContent)).toEqual([
      "Choose a client…",
      "Jordan Alvarez (Jo)",
      "Maya Chen (archived)",
    ]);
    expect(calls("list_clients")[0]).toEqual({
      query: { search: "", status: null, includeArchived: true, sort: "name" },
    });

    await user.selectOptions(q(container, "#export-client"), "Jordan Alvarez (Jo)");
    await user.type(q(container, "#export-from"), "2026-11-01");
    await user.selectOptions(q(container, "#export-format"), "Markdown");
    await user.click(q(container, "#export-include-pn"));
    const warning = q(container, "#export-pn-warning");
    expect(warning).toHaveTextContent(
      "Psychotherapy notes are not part of the client's record and are excluded from a client's right of access.",
    );
    expect(warning).toHaveTextContent("e.g. a court order");

    await user.click(q(container, "#export-run"));
    await vi.waitFor(() => expect(calls("export_notes")).toHaveLength(1));
    expect(calls("export_notes")[0]!.request as ExportRequest).toEqual({
      clientId: "c-1",
      from: "2026-11-01",
      to: null,
      format: "markdown",
      includePsychotherapyNotes: true,
    });

    // Progress as Rust reports it, with a way out.
    const progress: ExportProgress = { done: 2, total: 4 };
    events.emit("export-progress", progress);
    await vi.waitFor(() => expect(q(container, "#export-progress")).toHaveTextContent("2 of 4 notes"));
    expect(q<HTMLProgressElement>(container, "#export-progress progress").value).toBe(2);
    expect(q(container, "#export-cancel")).toBeEnabled();

    running.resolve(OUTCOME);
    await vi.waitFor(() => expect(q(container, "#export-result")).toHaveTextContent("Exported 4 notes to /home/dana/Exports/KAP notes."));
    const files = [...container.querySelectorAll<HTMLElement>("#export-result .export-file")];
    expect(files.map((f) => f.textContent)).toEqual([
      "/home/dana/Exports/KAP notes/Jordan Alvarez.pdf (47 KB)",
      "/home/dana/Exports/KAP notes/Jordan Alvarez - psychotherapy notes.pdf (2.0 KB)",
    ]);
    expect(q(container, "#export-result")).toHaveTextContent("Exported files are not encrypted.");
    expect(container.querySelector("#export-progress")).toBeNull();
    expect(events.unlisten).toHaveBeenCalled();
  });

  it("exports the whole practice with client null, and cancels on request", async () => {
    fakeEvents();
    const running = deferred<ExportOutcome>();
    backend({
      export_notes: () => running.promise,
      cancel_export: () => {
        running.resolve({ ...OUTCOME, files: [], notes: 0, cancelled: true });
        return null;
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNotes();
    await user.selectOptions(q(container, "#export-scope"), "The whole practice");
    expect(container.querySelector("#export-client")).toBeNull();
    await user.click(q(container, "#export-run"));
    await vi.waitFor(() => expect(calls("export_notes")).toHaveLength(1));
    expect(calls("export_notes")[0]!.request as ExportRequest).toEqual({
      clientId: null,
      from: null,
      to: null,
      format: "pdf",
      includePsychotherapyNotes: false,
    });

    await user.click(q(container, "#export-cancel"));
    expect(calls("cancel_export")).toHaveLength(1);
    await vi.waitFor(() => expect(q(container, "#export-result")).toHaveTextContent("Export cancelled; nothing was left behind."));
  });

  it("never widens a one-client export to the whole practice", async () => {
    fakeEvents();
    backend({ export_notes: () => OUTCOME });
    const user = userEvent.setup();
    const { container } = await renderNotes();
    await user.click(q(container, "#export-run"));
    expect(calls("export_notes")).toEqual([]);
    expect(q(container, "#export-clientId-error")).toHaveTextContent("Choose the client whose notes to export.");
    expect(q(container, "#export-client")).toHaveFocus();
  });

  it("shows Rust's refusal beside the field it names", async () => {
    fakeEvents();
    backend({
      export_notes: () => {
        throw commandError("invalid_input", "The end date is before the start date.", "request.to");
      },
    });
    const user = userEvent.setup();
    const { container } = await renderNotes();
    await user.selectOptions(q(container, "#export-scope"), "The whole practice");
    await user.click(q(container, "#export-run"));
    expect(await vi.waitFor(() => q(container, "#export-to-error"))).toHaveTextContent(
      "The end date is before the start date.",
    );
    expect(q(container, "#export-to")).toHaveAttribute("aria-invalid", "true");
  });
});

describe("a record request", () => {
  it("prints the chosen client's record and says it is not encrypted", async () => {
    backend({ export_record_request: () => ({ path: "/home/dana/Jordan Alvarez record.pdf", bytes: 90000 }) });
    const user = userEvent.setup();
    const { container } = await renderNotes();
    await user.selectOptions(q(container, "#record-request-client"), "Jordan Alvarez (Jo)");
    await user.click(q(container, "#record-request"));
    const result = await vi.waitFor(() => {
      const el = q(container, "#record-request-result");
      expect(el).toHaveTextContent("/home/dana/Jordan Alvarez record.pdf");
      return el;
    });
    expect(within(result).getByText(/not encrypted/)).toBeInTheDocument();
    expect(calls("export_record_request")).toEqual([{ clientId: "c-1" }]);
  });
});
