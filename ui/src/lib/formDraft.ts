import { debounce } from "./debounce";
import { clearFormDraft, getFormDraft, saveFormDraft } from "./dosingApi";

export interface FormDraft {
  /** The saved body, or null when there is none (or it cannot be read). */
  load(): Promise<string | null>;
  /** Call on every edit: the form is kept once typing has paused. */
  schedule(): void;
  /**
   * Keeps the form now if it changed since it was last kept (on leaving, locking or
   * closing), after any write already under way. Resolves to false when it could not be kept.
   */
  flush(): Promise<boolean>;
  /** Drops the kept form, once what it held has been saved for real. */
  clear(): Promise<void>;
}

/**
 * Keeps a half-typed form in the encrypted vault (key e.g. "vitals:<sessionId>" or
 * "addendum:<sessionId>") so closing the app mid-entry loses nothing. Never the
 * webview's storage: that is plaintext. A draft that cannot be kept is not worth an
 * error over a form that is still on screen; `flush` says so for whoever is leaving.
 *
 * Writes go one at a time, in order, so a clear after a successful save can never be
 * overtaken by an older save that resurrects the draft.
 */
export function formDraft(key: string, current: () => unknown, delayMs = 400): FormDraft {
  let dirty = false;
  let queue: Promise<unknown> = Promise.resolve();
  const later = debounce(() => void flush(), delayMs);

  function inTurn<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  function flush(): Promise<boolean> {
    later.cancel();
    return inTurn(async () => {
      if (!dirty) return true;
      dirty = false;
      try {
        await saveFormDraft(key, JSON.stringify(current()));
        return true;
      } catch {
        dirty = true;
        return false;
      }
    });
  }

  return {
    async load() {
      try {
        return await getFormDraft(key);
      } catch {
        return null;
      }
    },
    schedule() {
      dirty = true;
      later();
    },
    flush,
    clear() {
      later.cancel();
      dirty = false;
      return inTurn(async () => {
        try {
          await clearFormDraft(key);
        } catch {
          // Left behind, it is restored next time and can simply be cleared by hand.
        }
      });
    },
  };
}
