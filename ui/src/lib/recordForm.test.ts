import { describe, expect, it, vi } from "vitest";
import { recordSubmit, type RecordFormState } from "./recordForm";

function submitEvent(): SubmitEvent {
  return { preventDefault: vi.fn() } as unknown as SubmitEvent;
}

describe("recordSubmit", () => {
  it("saves once, says so, and reloads the timeline", async () => {
    const form: RecordFormState = { busy: false, error: null, status: "" };
    let release: () => void = () => {};
    const save = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const onSaved = vi.fn();
    const submit = recordSubmit(form, { record: "clearance", fields: ["clearedOn"], idPrefix: "clearance", save, savedMessage: "Medical clearance saved.", onSaved });

    const first = submit(submitEvent());
    await submit(submitEvent()); // a second press while saving does nothing
    expect(form.busy).toBe(true);
    release();
    await first;
    expect(save).toHaveBeenCalledTimes(1);
    expect(form).toEqual({ busy: false, error: null, status: "Medical clearance saved." });
    expect(onSaved).toHaveBeenCalledTimes(1);
  });

  it("shows Rust's sentence on the field it names, within the record", async () => {
    const form: RecordFormState = { busy: false, error: null, status: "old" };
    const input = document.createElement("input");
    input.id = "clearance-clearedOn";
    document.body.append(input);
    const refusal = { code: "invalid_input", message: "The clearance date is in the future.", field: "clearance.clearedOn" };
    const submit = recordSubmit(form, {
      record: "clearance",
      fields: ["clinician", "clearedOn"],
      idPrefix: "clearance",
      save: () => Promise.reject(refusal),
      savedMessage: "saved",
      onSaved: vi.fn(),
    });
    await submit(submitEvent());
    expect(form.error).toEqual({ ...refusal, field: "clearedOn" });
    expect(form.status).toBe("");
    expect(form.busy).toBe(false);
    expect(document.activeElement).toBe(input);
    input.remove();
  });
});
