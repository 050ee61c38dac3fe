import { flushAll } from "./save";

/**
 * Saves what a screen still holds in memory (a note typed since the last autosave)
 * before the frame moves away from it or locks the vault. Resolves to false when
 * the save failed and the therapist should stay to see why.
 */
export type Flush = () => Promise<boolean>;

const flushes = new Set<Flush>();

/** A screen with autosaved typing registers its flush while it is on show. */
export function guardUnsaved(flush: Flush): () => void {
  flushes.add(flush);
  return () => flushes.delete(flush);
}

export function hasUnsavedGuard(): boolean {
  return flushes.size > 0;
}

/** Runs every registered flush; true when all of them saved (or had nothing to save). */
export async function flushUnsaved(): Promise<boolean> {
  const results = await Promise.all([...flushes].map((flush) => flush().catch(() => false)));
  return results.every(Boolean);
}

/**
 * Closing the window or locking the vault: every screen's own flush (which also lets an
 * entry being added finish) and, through the save queue, every write still pending or
 * under way, including a screen's last save after it has gone. True when all of it saved.
 */
export async function flushEverything(): Promise<boolean> {
  const [screens, queued] = await Promise.all([flushUnsaved(), flushAll()]);
  return screens && queued;
}
