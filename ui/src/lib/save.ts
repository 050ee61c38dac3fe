import { toCommandError } from "./api";
import { debounce } from "./debounce";
import type { CommandError } from "./bindings/CommandError";

// The one way the UI saves as the therapist types: a note's draft, a psychotherapy
// note, the dosing plan and medication, and the half-typed forms kept as drafts.
//
// Writes are keyed (e.g. "note:<sessionId>"). For each key:
// - edits are coalesced: typing restarts a pause, and one write goes once it has passed;
// - writes never overlap: a flush while a write is under way waits for it, and then
//   sends whatever is on screen by then, so the newest value always lands last;
// - a flush asked for while another is still waiting its turn joins that one;
// - the state (idle, saving, saved, error with Rust's sentence) is told to the screen.
// `flushAll` saves everything pending under every key and waits for every write under
// way: closing the window and locking the vault await it, so nothing typed is lost.

export type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "error"; error: CommandError };

export const IDLE: SaveState = { kind: "idle" };

// ---------- Turns per key ----------

// The last task queued for each key; a key is dropped once its queue has run dry.
const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `task` after every task queued before it under `key`, whatever their outcome,
 * and answers with its own. Every dosing write answers with the whole record, so
 * in-order answers mean the last one shown is the newest.
 */
export function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (tails.get(key) ?? Promise.resolve()).then(task);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}

// ---------- Savers ----------

export interface SaverOptions<T> {
  /** What is on screen now; read when the write goes, so it sends the newest value. */
  current: () => T;
  /** Sends one value; rejects with what Rust refused it with. */
  write: (value: T) => Promise<unknown>;
  /**
   * What is stored already, when known (a loaded note, the record's plan): a flush that
   * would send the same again sends nothing. When unknown, only edits are sent.
   */
  stored?: T;
  /** How long edits must pause before the write goes, in ms. */
  delayMs: number;
  /** Told each time the state changes. */
  onState?: (state: SaveState) => void;
}

export interface Saver<T> {
  readonly key: string;
  /** Call on every edit: the value is written once edits have paused. */
  edited(): void;
  /**
   * Writes now if anything is unsaved (on blur, before printing, signing or leaving),
   * after any write under way for this key. Resolves to true when what is on screen
   * is stored (or there was nothing to store), false when the write was refused;
   * what was typed stays, and the next edit or flush tries again.
   */
  flush(): Promise<boolean>;
  /**
   * Takes `value` as what is stored now (after a load, or when Rust replaced it), or
   * as unknown (undefined, e.g. once a draft is cleared): a pending write is dropped,
   * an answer still on its way no longer counts, and the state goes idle.
   */
  reset(value?: T): void;
  state(): SaveState;
  /** A last flush, after which `flushAll` no longer asks this saver (the screen has gone). */
  dispose(): Promise<boolean>;
}

// Every saver whose screen is still there, for flushAll.
const live = new Set<Saver<unknown>>();

/** A saver for one key (see the top of this file). Call `dispose()` when its screen goes. */
export function saver<T>(key: string, options: SaverOptions<T>): Saver<T> {
  const { current, write, delayMs, onState } = options;
  let stored: string | undefined = options.stored === undefined ? undefined : JSON.stringify(options.stored);
  // Edited since the last write went out (or failed).
  let dirty = false;
  // Bumped by reset: an answer to a write sent before it does not change what is stored.
  let generation = 0;
  let state: SaveState = IDLE;
  // A flush waiting its turn, not yet started: another flush joins it.
  let waiting: Promise<boolean> | null = null;
  const later = debounce(() => void flush(), delayMs);

  function tell(next: SaveState) {
    state = next;
    onState?.(next);
  }

  async function send(): Promise<boolean> {
    waiting = null;
    const value = current();
    const json = JSON.stringify(value);
    const unchanged = stored !== undefined ? json === stored : !dirty;
    if (unchanged) {
      dirty = false;
      // Put back as it was stored: a refusal of it no longer stands.
      if (state.kind === "error") tell(IDLE);
      return true;
    }
    const sentIn = generation;
    dirty = false;
    tell({ kind: "saving" });
    try {
      await write(value);
      if (sentIn === generation) {
        stored = json;
        tell({ kind: "saved", at: new Date() });
      }
      return true;
    } catch (raw) {
      if (sentIn !== generation) return true;
      dirty = true;
      tell({ kind: "error", error: toCommandError(raw) });
      return false;
    }
  }

  function flush(): Promise<boolean> {
    later.cancel();
    waiting ??= inTurn(key, send);
    return waiting;
  }

  const self: Saver<T> = {
    key,
    edited() {
      dirty = true;
      later();
    },
    flush,
    reset(value?: T) {
      later.cancel();
      generation += 1;
      dirty = false;
      stored = value === undefined ? undefined : JSON.stringify(value);
      if (state.kind !== "idle") tell(IDLE);
    },
    state: () => state,
    dispose() {
      const last = flush();
      void last.finally(() => live.delete(self as Saver<unknown>));
      return last;
    },
  };
  live.add(self as Saver<unknown>);
  return self;
}

/**
 * Saves everything pending under every key now and waits for every write under way
 * (the close and lock paths await it). True when all of it is stored.
 */
export async function flushAll(): Promise<boolean> {
  const flushed = [...live].map((one) => one.flush());
  const underWay = [...tails.values()];
  const [saved] = await Promise.all([Promise.all(flushed), Promise.all(underWay)]);
  return saved.every(Boolean);
}

/** The words for a save state in a role="status" line whose errors are shown by their field. */
export function saveStateText(state: SaveState): string {
  if (state.kind === "saving") return "Saving…";
  if (state.kind === "saved") return "Saved";
  return "";
}
