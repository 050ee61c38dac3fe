import { reportActivity } from "./api";
import { watchEvent } from "./events";
import type { LockReason } from "./bindings/LockReason";
import type { History } from "./routing";

/**
 * The vault locks itself (src-tauri/src/idle.rs decides when): the UI only tells Rust
 * that the therapist is here, saves its drafts when Rust asks for a lock, and keeps
 * the screen it was on so unlocking brings the therapist back to it.
 */

/** At most one activity report per this many ms: typing does not flood the IPC. */
export const ACTIVITY_THROTTLE_MS = 2000;

const ACTIVITY_EVENTS = ["keydown", "pointerdown", "wheel"] as const;

/** Reports key presses, clicks and scrolls to Rust until the returned function is called. */
export function watchActivity(
  target: Pick<Window, "addEventListener" | "removeEventListener"> = window,
  report: () => Promise<unknown> = reportActivity,
  now: () => number = Date.now,
): () => void {
  let last = -Infinity;
  const onActivity = () => {
    const t = now();
    if (t - last < ACTIVITY_THROTTLE_MS) return;
    last = t;
    void report().catch(() => undefined);
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, onActivity, { passive: true, capture: true });
  return () => {
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, onActivity, { capture: true });
  };
}

/** Rust asks the UI to save its drafts and lock (idle, sleep, screen locked). */
export function watchLockRequests(onRequest: (reason: LockReason) => void): () => void {
  return watchEvent<{ reason: LockReason }>("lock-requested", (payload) => onRequest(payload.reason));
}

/** Rust locked without waiting for the UI (it did not answer in time). */
export function watchForcedLocks(onLocked: () => void): () => void {
  return watchEvent("vault-locked", () => onLocked());
}

/** An automatic backup finished or failed: the frame's "Last backup" line is stale. */
export function watchBackupStatus(onChanged: () => void): () => void {
  return watchEvent("backup-status-changed", () => onChanged());
}

// The screen the therapist was on, kept in memory only (never on disk) while locked.
let place: History | null = null;

export function rememberPlace(history: History): void {
  place = history;
}

/** The screen to return to after an unlock, once; null on a fresh start. */
export function takePlace(): History | null {
  const kept = place;
  place = null;
  return kept;
}

/** "Locks in 2 min" when the idle lock is near, else "". */
export function locksInLabel(seconds: number | null, withinSeconds = 5 * 60): string {
  if (seconds === null || seconds > withinSeconds) return "";
  if (seconds < 60) return `Locks in ${seconds} s unless you touch a key`;
  return `Locks in ${Math.ceil(seconds / 60)} min unless you touch a key`;
}
