import { beforeEach, describe, expect, it, vi } from "vitest";
import {
  backupVault,
  bookSession,
  createVault,
  deleteClientPermanently,
  exportCalendar,
  getConsent,
  getConsentTemplate,
  getSettings,
  getTimeline,
  listClients,
  onLocked,
  printConsentPacket,
  saveConsentTemplate,
  saveSettings,
  setSessionStatus,
  signConsent,
  toCommandError,
  unlockVault,
  updateConsentItem,
  withdrawConsent,
} from "./api";
import { commandError, defaultSettings, fakeBackend, invokeMock } from "../test/backend";
import { consentTemplate } from "../test/fixtures";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

describe("errors reaching a screen", () => {
  it("keeps the Rust error as written, including the field it belongs to", async () => {
    const rust = commandError("invalid_input", "Enter an email address like name@example.com.", "email");
    fakeBackend({
      save_settings: () => {
        throw rust;
      },
    });
    await expect(saveSettings(defaultSettings())).rejects.toEqual(rust);
  });

  it("turns a bare string rejection (how Tauri reports its own failures) into a message to show", async () => {
    invokeMock.mockRejectedValue("invalid args `passphrase` for command `unlock_vault`");
    await expect(unlockVault("x")).rejects.toEqual({
      code: "internal",
      message: "invalid args `passphrase` for command `unlock_vault`",
      field: null,
    });
  });

  it("turns a thrown Error into a message to show", async () => {
    invokeMock.mockRejectedValue(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(getSettings()).rejects.toEqual({
      code: "internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
      field: null,
    });
  });

  it("never leaves a screen with an empty message", () => {
    for (const raw of [undefined, null, 42, "", "   ", new Error(""), {}, { code: "io", message: "" }]) {
      const error = toCommandError(raw);
      expect(error.message.trim()).not.toBe("");
      expect(error.field).toBeNull();
    }
  });

  it("keeps the gates_open code, so the booking form can offer an override", () => {
    const message = "A dosing cannot be booked yet. Still open: Informed consent (no signed consent on record).";
    expect(toCommandError({ code: "gates_open", message, field: null })).toEqual({ code: "gates_open", message, field: null });
  });

  it("shows an unknown error code's message but does not trust the code", () => {
    expect(toCommandError({ code: "disk_on_fire", message: "The disk is full.", field: null })).toEqual({
      code: "internal",
      message: "The disk is full.",
      field: null,
    });
  });

  it("keeps a known code from a partial error object", () => {
    expect(toCommandError({ code: "io", message: "The backup folder is read-only." })).toEqual({
      code: "io",
      message: "The backup folder is read-only.",
      field: null,
    });
  });
});

describe("commands", () => {
  beforeEach(() => {
    invokeMock.mockResolvedValue(null);
  });

  it("sends create_vault the passphrase, its confirmation and the acknowledgement", async () => {
    await createVault("correct horse battery staple", "correct horse battery staple", true);
    expect(invokeMock).toHaveBeenCalledWith("create_vault", {
      passphrase: "correct horse battery staple",
      confirmation: "correct horse battery staple",
      acknowledged: true,
    });
  });

  it("sends save_settings the whole settings object under `settings`", async () => {
    const settings = defaultSettings();
    await saveSettings(settings);
    expect(invokeMock).toHaveBeenCalledWith("save_settings", { settings });
  });

  it("sends the client list its whole query under `query`", async () => {
    const query = { search: "jo", status: "dosing" as const, includeArchived: true, sort: "next_session" as const };
    await listClients(query);
    expect(invokeMock).toHaveBeenCalledWith("list_clients", { query });
  });

  it("asks for the current course when no course is named", async () => {
    await getTimeline("c-1");
    expect(invokeMock).toHaveBeenLastCalledWith("get_timeline", { clientId: "c-1", courseId: null });
    await getTimeline("c-1", "course-2");
    expect(invokeMock).toHaveBeenLastCalledWith("get_timeline", { clientId: "c-1", courseId: "course-2" });
  });

  it("sends a booking under `request`, and a status change by session id", async () => {
    const request = {
      clientId: "c-1",
      kind: "dosing" as const,
      date: "2026-12-10",
      time: "09:00",
      durationMin: null,
      location: "",
      overrideReason: "Prescriber agreed by phone.",
    };
    await bookSession(request);
    expect(invokeMock).toHaveBeenLastCalledWith("book_session", { request });
    await setSessionStatus("s-1", "no_show");
    expect(invokeMock).toHaveBeenLastCalledWith("set_session_status", { sessionId: "s-1", status: "no_show" });
  });

  it("sends a permanent delete the name typed to confirm it", async () => {
    await deleteClientPermanently("c-1", "Jordan Alvarez", "pass");
    expect(invokeMock).toHaveBeenLastCalledWith("delete_client_permanently", {
      id: "c-1",
      confirmName: "Jordan Alvarez",
      passphrase: "pass",
    });
  });

  it("reports a cancelled calendar export as null", async () => {
    await expect(exportCalendar(false)).resolves.toBeNull();
    expect(invokeMock).toHaveBeenLastCalledWith("export_calendar", { fullNames: false });
  });

  it("reports a cancelled backup as null rather than an error", async () => {
    await expect(backupVault()).resolves.toBeNull();
  });

  it("sends the consent commands the argument names Rust expects", async () => {
    await getConsent("c-1");
    expect(invokeMock).toHaveBeenLastCalledWith("get_consent", { clientId: "c-1" });
    const update = { itemId: "roles", discussedOn: "2026-12-03", sessionId: null, initialled: false, note: "" };
    await updateConsentItem("c-1", update);
    expect(invokeMock).toHaveBeenLastCalledWith("update_consent_item", { clientId: "c-1", update });
    const sign = { signedOn: "2026-12-03", method: "paper" as const, attestedBy: "Dana Reyes" };
    await signConsent("c-1", sign);
    expect(invokeMock).toHaveBeenLastCalledWith("sign_consent", { clientId: "c-1", sign });
    await withdrawConsent("c-1", "2026-12-20", "By phone.");
    expect(invokeMock).toHaveBeenLastCalledWith("withdraw_consent", { clientId: "c-1", withdrawnOn: "2026-12-20", note: "By phone." });
    await getConsentTemplate();
    expect(invokeMock).toHaveBeenLastCalledWith("get_consent_template", undefined);
    const template = consentTemplate();
    await saveConsentTemplate(template);
    expect(invokeMock).toHaveBeenLastCalledWith("save_consent_template", { template });
  });

  it("reports a cancelled consent packet as null", async () => {
    await expect(printConsentPacket("c-1", true)).resolves.toBeNull();
    expect(invokeMock).toHaveBeenLastCalledWith("print_consent_packet", { clientId: "c-1", blank: true });
  });
});

describe("a vault locked behind the UI's back", () => {
  it("tells the subscriber when any command answers `locked`, and still rejects to the caller", async () => {
    const listener = vi.fn();
    const unsubscribe = onLocked(listener);
    fakeBackend({
      get_settings: () => {
        throw commandError("locked", "The vault is locked.");
      },
    });
    await expect(getSettings()).rejects.toMatchObject({ code: "locked" });
    expect(listener).toHaveBeenCalledTimes(1);

    unsubscribe();
    await expect(getSettings()).rejects.toMatchObject({ code: "locked" });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it("does not treat other failures as a lock", async () => {
    const listener = vi.fn();
    const unsubscribe = onLocked(listener);
    fakeBackend({
      unlock_vault: () => {
        throw commandError("wrong_passphrase", "That passphrase does not open this vault.");
      },
    });
    await expect(unlockVault("nope")).rejects.toMatchObject({ code: "wrong_passphrase" });
    expect(listener).not.toHaveBeenCalled();
    unsubscribe();
  });
});
