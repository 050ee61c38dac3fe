import type { ClientDetails } from "./bindings/ClientDetails";

/** A new client's form. Status starts at "inquiry", the first step of the pathway. */
export function emptyDetails(): ClientDetails {
  return {
    legalName: "",
    preferredName: "",
    pronouns: "",
    dateOfBirth: "",
    phone: "",
    email: "",
    address: "",
    emergencyContact: { name: "", relation: "", phone: "" },
    rideHome: { name: "", phone: "" },
    prescriber: { name: "", organisation: "", phone: "" },
    referralSource: "",
    presentingConcerns: "",
    status: "inquiry",
  };
}

/** The field names Rust may attach an error to; groups take the errors of their parts. */
export const CLIENT_FIELDS = [
  "legalName",
  "preferredName",
  "pronouns",
  "dateOfBirth",
  "phone",
  "email",
  "address",
  "emergencyContact",
  "rideHome",
  "prescriber",
  "referralSource",
  "presentingConcerns",
  "status",
] as const;

const GROUP_INPUTS: Record<string, { prefix: string; parts: readonly string[] }> = {
  emergencyContact: { prefix: "client-emergency", parts: ["name", "relation", "phone"] },
  rideHome: { prefix: "client-ride", parts: ["name", "phone"] },
  prescriber: { prefix: "client-prescriber", parts: ["name", "organisation", "phone"] },
};

/**
 * The input to put the cursor in for an error Rust attached to `field`:
 * "email" → client-email, "rideHome.phone" → client-ride-phone, "prescriber" → its first input.
 */
export function focusTarget(field: string | null): string | null {
  if (!field) return null;
  const [head = "", part] = field.split(/[.[\]]+/);
  const group = GROUP_INPUTS[head];
  if (group) return `${group.prefix}-${part && group.parts.includes(part) ? part : group.parts[0]}`;
  return (CLIENT_FIELDS as readonly string[]).includes(head) ? `client-${head}` : null;
}
