import { invoke } from "@tauri-apps/api/core";
import type { CommandError } from "./bindings/CommandError";
import type { ErrorCode } from "./bindings/ErrorCode";

// How every command reaches Rust. The wrappers that name the commands are generated
// from src-tauri/src/commands.rs into ./generated/commands.ts; `./api` re-exports
// them with these helpers.

// `satisfies` keeps this list in step with ErrorCode. A code that Rust adds before the
// UI knows it is shown as "internal" (its message still shown) rather than trusted.
const ERROR_CODES = {
  wrong_passphrase: true,
  damaged: true,
  vault_exists: true,
  vault_not_found: true,
  newer_vault: true,
  weak_passphrase: true,
  passphrase_mismatch: true,
  not_acknowledged: true,
  invalid_input: true,
  gates_open: true,
  locked: true,
  not_found: true,
  in_use: true,
  io: true,
  database: true,
  internal: true,
} satisfies Record<ErrorCode, true>;

const FALLBACK_MESSAGE = "Something went wrong inside KAP Desk. Please try again.";

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

/**
 * Turns whatever an invoke rejected with into a CommandError, so every screen can
 * show `message` inline without guarding. Tauri itself rejects with a bare string
 * when, for example, arguments fail to deserialise.
 */
export function toCommandError(raw: unknown): CommandError {
  if (typeof raw === "string") {
    return { code: "internal", message: nonEmpty(raw) ? raw : FALLBACK_MESSAGE, field: null };
  }
  if (raw instanceof Error) {
    return { code: "internal", message: nonEmpty(raw.message) ? raw.message : FALLBACK_MESSAGE, field: null };
  }
  if (typeof raw === "object" && raw !== null) {
    const { code, message, field } = raw as Record<string, unknown>;
    return {
      code: isErrorCode(code) ? code : "internal",
      message: nonEmpty(message) ? message : FALLBACK_MESSAGE,
      field: nonEmpty(field) ? field : null,
    };
  }
  return { code: "internal", message: FALLBACK_MESSAGE, field: null };
}

type LockedListener = () => void;
const lockedListeners = new Set<LockedListener>();

/**
 * The vault can be locked behind the UI's back (another window, a timeout on the
 * Rust side). Whoever owns routing subscribes here so any "locked" answer sends
 * the therapist back to the Unlock screen instead of leaving a dead form.
 */
export function onLocked(listener: LockedListener): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const error = toCommandError(raw);
    if (error.code === "locked") {
      for (const listener of lockedListeners) listener();
    }
    throw error;
  }
}
