import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { focusIfLost, whileBusy } from "./focus";

afterEach(() => {
  document.body.innerHTML = "";
});

/** A form with a field and its send button, as the screens have them. */
function form() {
  document.body.innerHTML = `<form><input id="field" /><button id="send" type="submit">Send</button></form><p id="result" tabindex="-1"></p>`;
  const el = document.querySelector("form") as HTMLFormElement;
  const button = document.getElementById("send") as HTMLButtonElement;
  const submitted = vi.fn((event: Event) => event.preventDefault());
  el.addEventListener("submit", submitted);
  // Svelte listens for clicks once, at the document: a click stopped at the button never gets there.
  const clicked = vi.fn();
  const listener = (event: Event) => {
    if (event.target === button) clicked();
  };
  document.addEventListener("click", listener);
  return { button, submitted, clicked, cleanup: () => document.removeEventListener("click", listener) };
}

describe("whileBusy", () => {
  it("while busy, says the button is unavailable, keeps it focusable and focused, and ignores Enter, Space and clicks", async () => {
    const user = userEvent.setup();
    const { button, submitted, clicked, cleanup } = form();
    button.focus();
    const detach = whileBusy(true)(button);

    expect(button).toHaveAttribute("aria-disabled", "true");
    expect(button).not.toBeDisabled();
    expect(button).toHaveFocus();
    await user.keyboard("{Enter}");
    await user.keyboard(" ");
    await user.click(button);
    // Enter in a field sends the form through its button, which is busy.
    await user.type(document.getElementById("field") as HTMLInputElement, "x{Enter}");
    expect(submitted).not.toHaveBeenCalled();
    expect(clicked).not.toHaveBeenCalled();

    detach?.();
    expect(button).not.toHaveAttribute("aria-disabled");
    button.focus();
    await user.keyboard("{Enter}");
    expect(submitted).toHaveBeenCalledTimes(1);
    expect(clicked).toHaveBeenCalledTimes(1);
    cleanup();
  });

  it("when idle, changes nothing", async () => {
    const user = userEvent.setup();
    const { button, submitted, cleanup } = form();
    expect(whileBusy(false)(button)).toBeUndefined();
    expect(button).not.toHaveAttribute("aria-disabled");
    await user.click(button);
    expect(submitted).toHaveBeenCalledTimes(1);
    cleanup();
  });
});

describe("focusIfLost", () => {
  it("moves focus that fell to the page when its control went away", () => {
    const { button, cleanup } = form();
    button.focus();
    button.remove();
    expect(document.activeElement).toBe(document.body);
    focusIfLost("result");
    expect(document.getElementById("result")).toHaveFocus();
    cleanup();
  });

  it("goes to the first of several places that is there and can take focus", () => {
    const { button, cleanup } = form();
    document.body.insertAdjacentHTML("beforeend", `<p id="plain">not focusable</p>`);
    button.focus();
    button.remove();
    focusIfLost("gone", "plain", "result", "field");
    expect(document.getElementById("result")).toHaveFocus();
    cleanup();
  });

  it("moves focus off a control that was disabled under it", () => {
    const { button, cleanup } = form();
    button.focus();
    button.disabled = true;
    focusIfLost("result");
    expect(document.getElementById("result")).toHaveFocus();
    cleanup();
  });

  it("leaves focus that is still on something where it is", () => {
    const { cleanup } = form();
    const field = document.getElementById("field") as HTMLInputElement;
    field.focus();
    focusIfLost("result");
    expect(field).toHaveFocus();
    cleanup();
  });
});
