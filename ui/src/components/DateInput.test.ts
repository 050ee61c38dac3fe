import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import DateInput from "./DateInput.svelte";

describe("a date field", () => {
  it("says Not set while empty, instead of WebKit's grey today, and stops saying it once a date is set", async () => {
    const { container } = render(DateInput, { id: "dob", class: "extra", "aria-describedby": "dob-help" });
    const input = container.querySelector<HTMLInputElement>("input#dob")!;
    expect(input).toHaveAttribute("type", "date");
    expect(input).toHaveClass("input", "extra");
    expect(input).toHaveAttribute("aria-describedby", "dob-help");
    const field = container.querySelector(".blankable")!;
    expect(field).toHaveAttribute("data-empty", "true");
    expect(screen.getByText("Not set")).toHaveAttribute("aria-hidden", "true");

    await fireEvent.input(input, { target: { value: "1986-04-12" } });
    expect(field).toHaveAttribute("data-empty", "false");

    await fireEvent.input(input, { target: { value: "" } });
    expect(field).toHaveAttribute("data-empty", "true");
  });

  it("starts from the value it is given", () => {
    const { container } = render(DateInput, { value: "2026-12-01", emptyText: "No end date" });
    expect(container.querySelector("input")).toHaveValue("2026-12-01");
    expect(container.querySelector(".blankable")).toHaveAttribute("data-empty", "false");
    expect(screen.getByText("No end date")).toBeInTheDocument();
  });
});
