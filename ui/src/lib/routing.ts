import type { AppStatus } from "./bindings/AppStatus";

export type Screen = "loading" | "first-run" | "practice-setup" | "unlock" | "app";

/**
 * Which top-level screen the vault state calls for. `setupPending` is true only in
 * the same sitting as create_vault, so practice setup is offered once, straight
 * after the vault is made, and never blocks a later unlock.
 */
export function screenFor(status: AppStatus | null, setupPending: boolean): Screen {
  if (status === null) return "loading";
  if (!status.vaultExists) return "first-run";
  if (!status.unlocked) return "unlock";
  return setupPending ? "practice-setup" : "app";
}

export type Section = "dashboard" | "clients" | "settings";
