import { describe, expect, it } from "vitest";
import { linearScale, ticks } from "./scale";

describe("a chart's scale", () => {
  it("maps linearly, upside down for a y axis", () => {
    const y = linearScale([0, 27], [300, 30]);
    expect(y(0)).toBe(300);
    expect(y(27)).toBe(30);
    expect(y(13.5)).toBe(165);
  });

  it("chooses round ticks as d3 does", () => {
    expect(ticks(0, 27, 6)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(ticks(0, 100, 6)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(ticks(0, 21, 6)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(20405, 20428, 5)).toEqual([20405, 20410, 20415, 20420, 20425]);
    expect(ticks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(5, 5, 5)).toEqual([5]);
  });
});
