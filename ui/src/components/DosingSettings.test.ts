import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import DosingSettingsForm from "./DosingSettingsForm.svelte";
import HandoutTemplateForm from "./HandoutTemplateForm.svelte";
import { commandError, fakeBackend, invokeMock } from "../test/backend";
import type { DosingSettings } from "../lib/bindings/DosingSettings";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

function q<T extends Element = HTMLElement>(container: Element, selector: string): T {
  const el = container.querySelector<T>(selector);
  if (!el) throw new Error(`${selector} is not on screen`);
  return el;
}

function calls(command: string): Record<string, unknown>[] {
  return invokeMock.mock.calls.filter(([c]) => c === command).map(([, args]) => args as Record<string, unknown>);
}

const SCHEDULE = {
  vitalsBeforeDose: true,
  vitalsAfterDoseMinutes: [40],
  dischargeReadingRequired: true,
  cancellationNoticeHours: 48,
  cancellationFee: "",
};
const SETTINGS: DosingSettings = { bpSystolicMax: 160, bpDiastolicMax: 100, fastingFoodHours: 4, fastingLiquidHours: 2, ...SCHEDULE };

describe("dosing settings", () => {
  it("shows the practice's numbers and sends emptied boxes as null", async () => {
    fakeBackend({
      get_dosing_settings: () => SETTINGS,
      save_dosing_settings: ({ settings }) => settings,
    });
    const user = userEvent.setup();
    const { container } = render(DosingSettingsForm, {});
    const systolic = await vi.waitFor(() => q<HTMLInputElement>(container, "#bp-systolic-max"));
    expect(systolic).toHaveValue(160);
    expect(q(container, "#bp-diastolic-max")).toHaveValue(100);
    expect(q(container, "#fasting-food-hours")).toHaveValue(4);
    expect(q(container, "#fasting-liquid-hours")).toHaveValue(2);
    expect(systolic).toHaveAccessibleDescription(/Leave empty for no threshold. A pre-dose reading above it shows a warning./);

    await user.clear(systolic);
    await user.clear(q(container, "#bp-diastolic-max"));
    await user.clear(q(container, "#fasting-liquid-hours"));
    await user.click(q(container, "#dosing-settings-save"));
    await vi.waitFor(() => expect(q(container, "#dosing-settings-status")).toHaveTextContent("Saved"));
    expect(calls("save_dosing_settings")).toEqual([
      { settings: { bpSystolicMax: null, bpDiastolicMax: null, fastingFoodHours: 4, fastingLiquidHours: null, ...SCHEDULE } },
    ]);
  });

  it("shows Rust's refusal under the number it is about", async () => {
    const message = "The systolic threshold is between 90 and 220 mmHg, or empty for none.";
    fakeBackend({
      get_dosing_settings: () => SETTINGS,
      save_dosing_settings: () => {
        throw commandError("invalid_input", message, "bpSystolicMax");
      },
    });
    const user = userEvent.setup();
    const { container } = render(DosingSettingsForm, {});
    const systolic = await vi.waitFor(() => q<HTMLInputElement>(container, "#bp-systolic-max"));
    await user.clear(systolic);
    await user.type(systolic, "300");
    await user.click(q(container, "#dosing-settings-save"));
    const error = await vi.waitFor(() => q(container, '[data-error-for="bpSystolicMax"]'));
    expect(error).toHaveTextContent(message);
    expect(systolic).toHaveFocus();
    expect(systolic).toHaveValue(300);
  });
});

describe("the handout template", () => {
  const TEMPLATE = 'title = "Your dosing day, {{date}}"\n';

  it("saves the edited template and shows Rust's refusal inline", async () => {
    const refusal = "The handout template uses {{nmae}}, which KAP Desk does not know. Known placeholders: name, date.";
    fakeBackend({
      get_handout_template: () => TEMPLATE,
      save_handout_template: ({ body }) => {
        if (String(body).includes("{{nmae}}")) throw commandError("invalid_input", refusal, "template");
        return body;
      },
    });
    const user = userEvent.setup();
    const { container } = render(HandoutTemplateForm, {});
    const textarea = await vi.waitFor(() => q<HTMLTextAreaElement>(container, "#handout-template"));
    expect(textarea).toHaveValue(TEMPLATE);
    expect(container).toHaveTextContent("{{crisis_lines}}");
    expect(container).toHaveTextContent("{{medical_team_phone}}");

    await user.type(textarea, "# For {{{{nmae}}");
    await user.click(q(container, "#handout-template-save"));
    const error = await vi.waitFor(() => q(container, "#handout-template-error"));
    expect(error).toHaveTextContent(refusal);
    expect(textarea).toHaveValue(`${TEMPLATE}# For {{nmae}}`);

    await user.clear(textarea);
    await user.type(textarea, "title = {{{{name}}");
    await user.click(q(container, "#handout-template-save"));
    await vi.waitFor(() => expect(q(container, "#handout-template-status")).toHaveTextContent("Saved."));
    expect(calls("save_handout_template").at(-1)).toEqual({ body: "title = {{name}}" });
    expect(container.querySelector("#handout-template-error")).toBeNull();
  });

  it("restores the default only after a confirmation on screen", async () => {
    fakeBackend({
      get_handout_template: () => "custom",
      save_handout_template: ({ body }) => (body === null ? TEMPLATE : body),
    });
    const user = userEvent.setup();
    const { container } = render(HandoutTemplateForm, {});
    await vi.waitFor(() => q(container, "#handout-template"));

    await user.click(q(container, "#handout-template-reset"));
    expect(calls("save_handout_template")).toHaveLength(0);
    await user.click(q(container, "#handout-template-reset-cancel"));
    expect(container.querySelector("#handout-template-reset-confirm")).toBeNull();
    expect(q(container, "#handout-template-reset")).toHaveFocus();

    await user.click(q(container, "#handout-template-reset"));
    expect(q(container, "#handout-template-reset-confirm")).toHaveFocus();
    await user.click(q(container, "#handout-template-reset-confirm"));
    await vi.waitFor(() => expect(calls("save_handout_template")).toEqual([{ body: null }]));
    await vi.waitFor(() => expect(q(container, "#handout-template")).toHaveValue(TEMPLATE));
    expect(await screen.findByText("The default template is restored.")).toBeInTheDocument();
  });
});
