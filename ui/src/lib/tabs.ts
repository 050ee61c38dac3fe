/**
 * The tab a key moves to in a row of tabs, as the ARIA tabs pattern has it: the
 * arrow keys step left and right and wrap round, Home and End go to the first and the
 * last. Null for any other key, which the tab then handles as usual.
 */
export function tabForKey<T>(tabs: readonly T[], current: T, key: string): T | null {
  if (tabs.length === 0) return null;
  const at = Math.max(0, tabs.indexOf(current));
  switch (key) {
    case "ArrowRight":
      return tabs[(at + 1) % tabs.length] ?? null;
    case "ArrowLeft":
      return tabs[(at - 1 + tabs.length) % tabs.length] ?? null;
    case "Home":
      return tabs[0] ?? null;
    case "End":
      return tabs[tabs.length - 1] ?? null;
    default:
      return null;
  }
}
