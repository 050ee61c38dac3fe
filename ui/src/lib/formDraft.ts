import { clearFormDraft, getFormDraft, saveFormDraft } from "./api";
import { inTurn, saver } from "./save";

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
  /** A last flush when the form goes away; the app's flush on closing stops asking it. */
  dispose(): Promise<boolean>;
}

/**
 * Keeps a half-typed form in the encrypted vault (key e.g. "vitals:<sessionId>" or
 * "addendum:<sessionId>") so closing the app mid-entry loses nothing. Never the
 * webview's storage: that is plaintext. A draft that cannot be kept is not worth an
 * error over a form that is still on screen; `flush` says so for whoever is leaving.
 *
 * Writes go through the save queue under "draft:<key>", one at a time and in order,
 * so a clear after a successful save can never be overtaken by an older save that
 * resurrects the draft.
 */
export function formDraft(key: string, current: () => unknown, delayMs = 400): FormDraft {
  const queueKey = `draft:${key}`;
  const draft = saver(queueKey, {
    current,
    write: (value) => saveFormDraft(key, JSON.stringify(value)),
    delayMs,
  });

  return {
    async load() {
      try {
        return await getFormDraft(key);
      } catch {
        return null;
      }
    },
    schedule: draft.edited,
    flush: draft.flush,
    clear() {
      // Nothing kept any more: a pending save is dropped, and one under way no longer counts.
      draft.reset();
      return inTurn(queueKey, async () => {
        try {
          await clearFormDraft(key);
        } catch {
          // Left behind, it is restored next time and can simply be cleared by hand.
        }
      });
    },
    dispose: draft.dispose,
  };
}
