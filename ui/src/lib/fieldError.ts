import type { CommandError } from "./bindings/CommandError";

/** A value is a command error (Rust's refusal, or the UI's own about a form's shape). */
export function isCommandError(value: unknown): value is CommandError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

/**
 * Which of a form's fields a command error belongs to, or null when it should be
 * shown for the whole form. Nested names ("crisisContacts[1].phone") land on the
 * field that owns them, so no message is ever dropped for want of an exact match.
 */
export function fieldFor(error: CommandError | null, fields: readonly string[]): string | null {
  const name = error?.field;
  if (!name) return null;
  for (const field of fields) {
    if (name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`)) return field;
  }
  return null;
}

/** Joins the ids that describe an input, leaving the attribute off entirely when there are none. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => typeof id === "string" && id !== "");
  return present.length > 0 ? present.join(" ") : undefined;
}

/**
 * An error about one part of a record sent under a name ("clearance"), seen by that
 * record's own form: "clearance.clearedOn" and "clearedOn" both become "clearedOn".
 */
export function withinRecord(error: CommandError | null, record: string): CommandError | null {
  const name = error?.field;
  if (!error || !name || !name.startsWith(`${record}.`)) return error;
  return { ...error, field: name.slice(record.length + 1) };
}
