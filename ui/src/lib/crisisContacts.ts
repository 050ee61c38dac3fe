import type { CrisisContact } from "./bindings/CrisisContact";

/** A contact while it is being edited; `key` keeps each row's inputs (and focus) with it when another row is removed. */
export type ContactRow = CrisisContact & { key: number };

let lastKey = 0;

function row(contact: CrisisContact): ContactRow {
  lastKey += 1;
  return { key: lastKey, label: contact.label, phone: contact.phone };
}

export function toRows(contacts: readonly CrisisContact[]): ContactRow[] {
  return contacts.map(row);
}

export function fromRows(rows: readonly ContactRow[]): CrisisContact[] {
  return rows.map(({ label, phone }) => ({ label, phone }));
}

export function addRow(rows: readonly ContactRow[]): ContactRow[] {
  return [...rows, row({ label: "", phone: "" })];
}

export function removeRow(rows: readonly ContactRow[], key: number): ContactRow[] {
  return rows.filter((r) => r.key !== key);
}
