import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import Clients from "./Clients.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import { session, summary } from "../test/fixtures";
import type { ClientQuery } from "../lib/bindings/ClientQuery";
import type { ClientSummary } from "../lib/bindings/ClientSummary";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const jordan = summary({
  id: "c-1",
  displayName: "Jordan Alvarez (Jo)",
  legalName: "Jordan Alvarez",
  preferredName: "Jo",
  status: "dosing",
  nextSession: session({ kind: "dosing", label: "Dosing 2 of 6", date: "2026-12-03", time: "10:00" }),
});
const maya = summary({ id: "c-2", displayName: "Maya Chen", legalName: "Maya Chen", status: "preparation" });

function backend(list: (query: ClientQuery) => ClientSummary[]) {
  fakeBackend({ list_clients: ({ query }) => list(query as ClientQuery) });
}

function queries(): ClientQuery[] {
  return invokeMock.mock.calls.filter(([command]) => command === "list_clients").map(([, args]) => (args as { query: ClientQuery }).query);
}

function renderClients(props: Partial<{ onOpenClient: (id: string) => void; onAddClient: () => void }> = {}) {
  return render(Clients, { onOpenClient: vi.fn(), onAddClient: vi.fn(), searchDelayMs: 10, ...props });
}

describe("the client list", () => {
  it("asks Rust for everyone not archived, by name, when it opens", async () => {
    backend(() => [jordan, maya]);
    renderClients();
    await screen.findByText("Jordan Alvarez (Jo)");
    expect(queries()).toEqual([{ search: "", status: null, includeArchived: false, sort: "name" }]);
  });

  it("shows each client's name, status and next session", async () => {
    backend(() => [jordan, maya]);
    const { container } = renderClients();
    await screen.findByText("Jordan Alvarez (Jo)");
    const rows = [...container.querySelectorAll<HTMLElement>(".client-row")];
    expect(rows.map((row) => row.dataset.clientId)).toEqual(["c-1", "c-2"]);
    expect(rows[0]).toHaveTextContent("Jordan Alvarez (Jo)");
    expect(rows[0]).toHaveTextContent("Dosing");
    expect(rows[0]).toHaveTextContent("Next: Dosing 2 of 6, Thu 3 Dec 2026, 10:00");
    expect(rows[1]).toHaveTextContent("Maya Chen");
    expect(rows[1]).not.toHaveTextContent("(");
    expect(rows[1]).toHaveTextContent("No session booked");
  });

  it("sends each filter the therapist sets as part of the query", async () => {
    backend(() => [jordan]);
    const user = userEvent.setup();
    renderClients();
    await screen.findByText("Jordan Alvarez (Jo)");

    await user.selectOptions(screen.getByLabelText("Status"), "Dosing");
    await vi.waitFor(() => expect(queries().at(-1)).toEqual({ search: "", status: "dosing", includeArchived: false, sort: "name" }));

    await user.selectOptions(screen.getByLabelText("Sort by"), "Next session");
    await vi.waitFor(() => expect(queries().at(-1)?.sort).toBe("next_session"));

    await user.click(screen.getByLabelText("Show archived"));
    await vi.waitFor(() => expect(queries().at(-1)?.includeArchived).toBe(true));

    await user.type(screen.getByLabelText("Search by name"), "jor");
    await vi.waitFor(() =>
      expect(queries().at(-1)).toEqual({ search: "jor", status: "dosing", includeArchived: true, sort: "next_session" }),
    );

    await user.selectOptions(screen.getByLabelText("Status"), "All");
    await vi.waitFor(() => expect(queries().at(-1)?.status).toBeNull());
  });

  it("waits for a pause in typing before searching", async () => {
    backend(() => []);
    const user = userEvent.setup();
    render(Clients, { onOpenClient: vi.fn(), onAddClient: vi.fn(), searchDelayMs: 200 });
    await vi.waitFor(() => expect(queries()).toHaveLength(1));

    await user.type(screen.getByLabelText("Search by name"), "maya");
    await vi.waitFor(() => expect(queries().at(-1)?.search).toBe("maya"));
    // One search for the word, not one per letter.
    expect(queries().filter((q) => q.search !== "")).toHaveLength(1);
  });

  it("opens a client's timeline from their row", async () => {
    backend(() => [jordan, maya]);
    const onOpenClient = vi.fn();
    const user = userEvent.setup();
    renderClients({ onOpenClient });
    await user.click(await screen.findByRole("button", { name: /Maya Chen/ }));
    expect(onOpenClient).toHaveBeenCalledWith("c-2");
  });

  it("invites the therapist to add a first client when there are none", async () => {
    backend(() => []);
    const onAddClient = vi.fn();
    const user = userEvent.setup();
    const { container } = renderClients({ onAddClient });
    const empty = await vi.waitFor(() => {
      const el = container.querySelector("#clients-empty");
      expect(el).not.toBeNull();
      return el as HTMLElement;
    });
    expect(within(empty).getByText("No clients yet.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Add client" }));
    expect(onAddClient).toHaveBeenCalled();
  });

  it("says nothing matches rather than that there are no clients, when filtered", async () => {
    backend((query) => (query.search === "" ? [jordan] : []));
    const user = userEvent.setup();
    renderClients();
    await screen.findByText("Jordan Alvarez (Jo)");
    await user.type(screen.getByLabelText("Search by name"), "zzz");
    expect(await screen.findByText("No clients match.")).toBeInTheDocument();
    expect(screen.queryByText("No clients yet.")).toBeNull();
  });

  it("marks archived clients in words", async () => {
    backend(() => [summary({ id: "c-3", displayName: "Sam Ortiz", legalName: "Sam Ortiz", archived: true })]);
    renderClients();
    const row = await screen.findByRole("button", { name: /Sam Ortiz/ });
    expect(row).toHaveTextContent("Archived");
  });

  it("shows Rust's message when the list cannot be read", async () => {
    fakeBackend({
      list_clients: () => {
        throw commandError("database", "The vault could not be read.");
      },
    });
    renderClients();
    expect(await screen.findByRole("alert")).toHaveTextContent("The vault could not be read.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
