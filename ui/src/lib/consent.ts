import { formatDate } from "./dates";
import { CONSENT_METHOD_LABELS } from "./labels";
import type { ConsentItemStatus } from "./bindings/ConsentItemStatus";
import type { ConsentSignature } from "./bindings/ConsentSignature";
import type { ConsentSummary } from "./bindings/ConsentSummary";
import type { ConsentWithdrawal } from "./bindings/ConsentWithdrawal";

// Words for what Rust says about a consent. Whether an item is done, whether the
// checklist is complete and whether it may be signed are all decided in Rust.

/** The timeline's few lines about the course's consent. */
export function summaryLines(consent: ConsentSummary | null): string[] {
  if (!consent) return ["Informed consent: the checklist has not been started yet."];
  const lines = [`Informed consent: ${consent.done} of ${consent.total} items discussed`];
  lines.push(consent.signedOn ? `Signed on ${formatDate(consent.signedOn)}` : "Not signed yet");
  if (consent.withdrawnOn) lines.push(`Withdrawn on ${formatDate(consent.withdrawnOn)}`);
  return lines;
}

export function progressText(done: number, total: number): string {
  return `${done} of ${total} ${total === 1 ? "item" : "items"} done`;
}

/** Where one item stands, in words (never colour alone). */
export function itemState(item: ConsentItemStatus): string {
  if (item.done) return "Done";
  if (item.discussedOn === null) return "Not yet discussed";
  return item.initialsRequired && !item.initialled ? "Discussed, not initialled" : "Discussed";
}

/** A read-only line for a signed record: when the item was discussed and initialled. */
export function itemRecord(item: ConsentItemStatus): string {
  if (item.discussedOn === null) return "Not discussed.";
  const discussed = `Discussed on ${formatDate(item.discussedOn)}`;
  if (!item.initialsRequired) return `${discussed}.`;
  return `${discussed}; ${item.initialled ? "initialled" : "not initialled"}.`;
}

export interface NumberedItem {
  item: ConsentItemStatus;
  /** 1-based, across the whole document, as on the printed packet. */
  number: number;
}

export interface ItemGroup {
  title: string;
  items: NumberedItem[];
}

/** The items under their section headings, in the order Rust sent them. */
export function groupBySection(items: readonly ConsentItemStatus[]): ItemGroup[] {
  const groups: ItemGroup[] = [];
  items.forEach((item, index) => {
    const last = groups.at(-1);
    const numbered = { item, number: index + 1 };
    if (last && last.title === item.section) last.items.push(numbered);
    else groups.push({ title: item.section, items: [numbered] });
  });
  return groups;
}

/** A template text as paragraphs (blank lines between them); line breaks inside are kept by CSS. */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function lockedSentence(signature: ConsentSignature): string {
  return (
    `Signed on ${formatDate(signature.signedOn)} (${lowerFirst(CONSENT_METHOD_LABELS[signature.method])}), ` +
    `attested by ${signature.attestedBy}. This record is locked; corrections are not possible — ` +
    "a withdrawal is recorded as a dated event."
  );
}

export function withdrawalSentence(withdrawal: ConsentWithdrawal): string {
  const note = withdrawal.note.trim();
  return `Consent withdrawn on ${formatDate(withdrawal.withdrawnOn)}.${note ? ` Note: ${note}` : ""}`;
}

export function savedSentence(blank: boolean): string {
  return blank ? "The blank packet was saved to" : "The consent record was saved to";
}
