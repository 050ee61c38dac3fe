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
