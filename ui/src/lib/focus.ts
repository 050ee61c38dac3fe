import type { Attachment } from "svelte/attachments";

/**
 * Moves focus into a screen as it appears, so a keyboard user never has to hunt
 * for where they are. Used instead of `autofocus`, which only works on page load.
 */
export const focusOnMount: Attachment<HTMLElement> = (node) => {
  node.focus();
};

/** Focuses an element by id once the DOM has caught up; silently does nothing if it is gone. */
export function focusById(id: string): void {
  document.getElementById(id)?.focus();
}

/**
 * For a control whose action is under way: `{@attach whileBusy(busy)}` instead of
 * `disabled={busy}`. While busy it says it is unavailable (`aria-disabled`, styled as
 * disabled) and ignores clicks, which Enter, Space and pressing Enter in a form's field
 * all send, so nothing is sent twice. It is never `disabled`: a focused control that
 * disables itself drops focus to the page, and a keyboard user loses their place.
 */
export function whileBusy(busy: boolean): Attachment<HTMLElement> {
  return (node) => {
    if (!busy) return;
    const ignore = (event: Event) => {
      event.preventDefault();
      event.stopImmediatePropagation();
    };
    node.setAttribute("aria-disabled", "true");
    node.addEventListener("click", ignore, { capture: true });
    return () => {
      node.removeEventListener("click", ignore, { capture: true });
      node.removeAttribute("aria-disabled");
    };
  };
}

/**
 * After an action whose control has gone (a form that closed once it was sent, a
 * row's buttons once its session changed) or was disabled (a form emptied once it was
 * sent): focus fell to the page, so it goes to the first of `ids` that is there and
 * takes it. Focus still on something usable stays there.
 */
export function focusIfLost(...ids: string[]): void {
  for (const id of ids) {
    const active = document.activeElement;
    if (active !== null && active !== document.body && active.isConnected && !active.matches(":disabled")) return;
    focusById(id);
  }
}
