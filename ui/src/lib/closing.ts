import { watchEvent } from "./events";

/**
 * Closing the window. Rust holds the close back, emits "close-requested" and waits a
 * few seconds for "finish_close"; meanwhile whatever is typed goes into the vault.
 * Rust gives up after 4 s and closes anyway, so the UI waits for the saves at most
 * FLUSH_TIMEOUT_MS and then lets the window go, saved or not.
 */
export const CLOSE_REQUESTED_EVENT = "close-requested";

export const FLUSH_TIMEOUT_MS = 3000;

/**
 * Runs `flush` (given at most `timeoutMs`; its outcome does not matter), then `finish`.
 * Resolves once `finish` has answered; a failing `finish` is not thrown, since the
 * window is going away regardless.
 */
export async function handleCloseRequested(
  flush: () => Promise<unknown>,
  finish: () => Promise<unknown>,
  timeoutMs: number = FLUSH_TIMEOUT_MS,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  let flushed: Promise<unknown>;
  try {
    flushed = Promise.resolve(flush()).catch(() => undefined);
  } catch {
    // A flush that throws before returning its promise counts as one that failed.
    flushed = Promise.resolve();
  }
  try {
    await Promise.race([flushed, timeout]);
  } finally {
    clearTimeout(timer);
  }
  try {
    await finish();
  } catch {
    // Rust closes the window after its own wait even if it never heard from us.
  }
}

/**
 * A close-request handler that runs once at a time: clicking the close button again
 * while the saves are under way does not start a second round.
 */
export function closeHandler(
  flush: () => Promise<unknown>,
  finish: () => Promise<unknown>,
  timeoutMs: number = FLUSH_TIMEOUT_MS,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => {
    running ??= handleCloseRequested(flush, finish, timeoutMs).finally(() => {
      running = null;
    });
    return running;
  };
}

/** Listens for "close-requested" until the returned function is called. */
export function watchCloseRequests(onClose: () => unknown): () => void {
  return watchEvent(CLOSE_REQUESTED_EVENT, () => void onClose());
}
