import { debounce } from "./debounce";
import type { PassphraseAssessment } from "./bindings/PassphraseAssessment";
import type { PassphraseStrength } from "./bindings/PassphraseStrength";

export const ASSESS_DELAY_MS = 150;

export const STRENGTH_LABELS: Record<PassphraseStrength, string> = {
  too_short: "Too short",
  weak: "Weak",
  fair: "Fair",
  strong: "Strong",
};

export interface StrengthWatcher {
  /** Call on every keystroke. */
  update(passphrase: string): void;
  dispose(): void;
}

/**
 * Asks Rust to assess the passphrase while the therapist types, without flooding
 * it: one request per pause in typing, and an answer that arrives after a newer
 * keystroke is thrown away so the hint never describes text that is gone.
 */
export function watchStrength(
  assess: (passphrase: string) => Promise<PassphraseAssessment>,
  onChange: (assessment: PassphraseAssessment | null) => void,
  delayMs = ASSESS_DELAY_MS,
): StrengthWatcher {
  let generation = 0;
  let disposed = false;

  const run = debounce((passphrase: string, asked: number) => {
    assess(passphrase).then(
      (assessment) => {
        if (!disposed && asked === generation) onChange(assessment);
      },
      () => {
        // The hint is advisory; the create/change command reports the real error.
        if (!disposed && asked === generation) onChange(null);
      },
    );
  }, delayMs);

  return {
    update(passphrase) {
      generation += 1;
      if (passphrase === "") {
        run.cancel();
        onChange(null);
        return;
      }
      run(passphrase, generation);
    },
    dispose() {
      disposed = true;
      run.cancel();
    },
  };
}
