import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import LoadFailed from "./LoadFailed.svelte";

describe("the could-not-load block", () => {
  it("shows the error sentence as an alert with the given id", () => {
    render(LoadFailed, { id: "thing-load-error", message: "The vault could not be read.", onRetry: () => {} });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("The vault could not be read.");
    expect(alert).toHaveAttribute("id", "thing-load-error");
    expect(alert).toHaveClass("error");
  });

  it("retries when Try again is pressed", async () => {
    const user = userEvent.setup();
    const onRetry = vi.fn();
    render(LoadFailed, { id: "thing-load-error", message: "The vault could not be read.", onRetry });
    const button = screen.getByRole("button", { name: "Try again" });
    expect(button).toHaveAttribute("type", "button");
    expect(button.closest(".actions")).not.toBeNull();
    await user.click(button);
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
