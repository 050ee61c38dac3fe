import { listen } from "@tauri-apps/api/event";

/**
 * Listens for a Tauri event until the returned function is called. Outside Tauri (a
 * plain browser, tests) there is no event to hear, and nothing happens.
 */
export function watchEvent<T>(name: string, handler: (payload: T) => void): () => void {
  let stopped = false;
  let unlisten: (() => void) | undefined;
  void (async () => {
    try {
      const stop: unknown = await listen<T>(name, (event) => handler(event.payload));
      if (typeof stop !== "function") return;
      if (stopped) stop();
      else unlisten = stop as () => void;
    } catch {
      // No Tauri event system here.
    }
  })();
  return () => {
    stopped = true;
    unlisten?.();
    unlisten = undefined;
  };
}
