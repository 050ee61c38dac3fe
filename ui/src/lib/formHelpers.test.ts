import { describe, expect, it } from "vitest";
import { addRow, fromRows, removeRow, toRows } from "./crisisContacts";
import { describedBy, fieldFor } from "./fieldError";
import { formatBytes } from "./format";

const defaults = [
  { label: "988 Suicide & Crisis Lifeline", phone: "988" },
  { label: "Emergency services", phone: "911" },
];

describe("crisis contact rows", () => {
  it("round-trips the contacts Rust sent, in order", () => {
    expect(fromRows(toRows(defaults))).toEqual(defaults);
  });

  it("adds an empty row at the end", () => {
    const rows = addRow(toRows(defaults));
    expect(fromRows(rows)).toEqual([...defaults, { label: "", phone: "" }]);
  });

  it("removes exactly the row asked for, leaving the others as typed", () => {
    const rows = addRow(toRows(defaults));
    rows[2]!.label = "Dr Rivera (on call)";
    rows[2]!.phone = "555-0100";
    const middle = rows[1]!.key;
    expect(fromRows(removeRow(rows, middle))).toEqual([defaults[0], { label: "Dr Rivera (on call)", phone: "555-0100" }]);
  });

  it("gives every row its own identity, even identical ones", () => {
    const rows = addRow(addRow([]));
    expect(rows[0]!.key).not.toBe(rows[1]!.key);
    expect(removeRow(rows, rows[0]!.key)).toEqual([rows[1]]);
  });

  it("sends Rust only label and phone", () => {
    expect(Object.keys(fromRows(toRows(defaults))[0]!)).toEqual(["label", "phone"]);
  });
});

describe("where a save error is shown", () => {
  const fields = ["email", "phone", "crisisContacts"];
  const error = (field: string | null) => ({ code: "invalid_input" as const, message: "m", field });

  it("under the field Rust named", () => {
    expect(fieldFor(error("email"), fields)).toBe("email");
  });

  it("under the list when Rust names a row inside it", () => {
    expect(fieldFor(error("crisisContacts[1].phone"), fields)).toBe("crisisContacts");
    expect(fieldFor(error("crisisContacts.0.label"), fields)).toBe("crisisContacts");
  });

  it("for the whole form when the field is unknown or absent", () => {
    expect(fieldFor(error("emailAddress"), fields)).toBeNull();
    expect(fieldFor(error(null), fields)).toBeNull();
    expect(fieldFor(null, fields)).toBeNull();
  });

  it("links only descriptions that are on screen", () => {
    expect(describedBy("hint", false, "err")).toBe("hint err");
    expect(describedBy(false, null, undefined)).toBeUndefined();
  });
});

describe("vault sizes", () => {
  it("reads like a file manager", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(4096)).toBe("4.0 KB");
    expect(formatBytes(5 * 1024 * 1024 + 300 * 1024)).toBe("5.3 MB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
  });
});
