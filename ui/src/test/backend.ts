import { invoke } from "@tauri-apps/api/core";
import { vi } from "vitest";
import type { CommandError } from "../lib/bindings/CommandError";
import type { PracticeSettings } from "../lib/bindings/PracticeSettings";

// Test files must also call vi.mock("@tauri-apps/api/core", ...) themselves: vi.mock is hoisted per file.
export const invokeMock = vi.mocked(invoke);

type Handler = (args: Record<string, unknown>) => unknown;

/**
 * Stands in for the Rust commands. A handler that throws makes the invoke reject
 * with what it threw, as Tauri does with a command's Err value.
 */
export function fakeBackend(handlers: Record<string, Handler>): void {
  invokeMock.mockImplementation(async (command: string, args?: unknown) => {
    const handler = handlers[command];
    if (!handler) throw `command ${command} not found`;
    return handler((args ?? {}) as Record<string, unknown>);
  });
}

export function commandError(code: CommandError["code"], message: string, field: string | null = null): CommandError {
  return { code, message, field };
}

export function defaultSettings(): PracticeSettings {
  return {
    therapistName: "",
    credentials: "",
    practiceName: "",
    address: "",
    phone: "",
    email: "",
    medicalTeamName: "",
    medicalTeamPhone: "",
    crisisContacts: [
      { label: "988 Suicide & Crisis Lifeline", phone: "988" },
      { label: "Emergency services", phone: "911" },
    ],
    paperSize: "letter",
    noteFormat: "soap",
    openAfterSaving: true,
  };
}
