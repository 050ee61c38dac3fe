/**
 * The little a chart needs of a scale: a linear map from values to drawing units, and
 * round tick values (1, 2 or 5 times a power of ten), as d3-array's `ticks` chooses them.
 */
export interface LinearScale {
  (value: number): number;
  ticks(count: number): number[];
}

export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): LinearScale {
  const span = d1 - d0 || 1;
  const scale = ((v: number) => r0 + ((v - d0) / span) * (r1 - r0)) as LinearScale;
  scale.ticks = (count: number) => ticks(d0, d1, count);
  return scale;
}

/** About `count` round values from `start` to `stop`, both included when round. */
export function ticks(start: number, stop: number, count: number): number[] {
  if (!(stop > start) || count <= 0) return [start];
  const raw = (stop - start) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step = (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1) * power;
  const out: number[] = [];
  for (let i = Math.ceil(start / step); i * step <= stop + step * 1e-9; i++) {
    // Rounding keeps 0.1 * 3 from reading 0.30000000000000004.
    out.push(Number((i * step).toPrecision(12)));
  }
  return out;
}
