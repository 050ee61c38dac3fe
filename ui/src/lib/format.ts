const UNITS = ["bytes", "KB", "MB", "GB", "TB"] as const;

// Exports are the only plaintext KAP Desk writes: every place that reports one says so,
// in these words.
export const PDF_NOT_ENCRYPTED = "This PDF is not encrypted: keep it somewhere safe.";
export const FILES_NOT_ENCRYPTED = "Exported files are not encrypted; keep them safe.";

/** Sizes as a person reads them in a file manager (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "unknown size";
  if (bytes < 1024) return bytes === 1 ? "1 byte" : `${bytes} bytes`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value < 10 ? 1 : 0;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}
