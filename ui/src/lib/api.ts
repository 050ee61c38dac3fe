import { getTimeline as getTimelineCommand } from "./generated/commands";
import type { Timeline } from "./bindings/Timeline";

// The UI's door to Rust. Every command's wrapper is generated from
// src-tauri/src/commands.rs (its name, arguments and answer written once, in Rust);
// what is written here by hand only adds to a wrapper, and never names a command.
export { call, onLocked, toCommandError } from "./ipc";
export * from "./generated/commands";

/** `courseId` null (or left out) asks for the client's current course. */
export function getTimeline(clientId: string, courseId: string | null = null): Promise<Timeline> {
  return getTimelineCommand(clientId, courseId);
}
