// Django release series and the month their upstream support ends (security and
// data-loss fixes; for LTS series the "extended support" end). Written from the
// Django project's published schedule:
//   https://www.djangoproject.com/download/#supported-versions
//   https://docs.djangoproject.com/en/stable/internals/release-process/#supported-versions
// Maintained by hand: add each new series when Django announces it. A series that
// is not listed is reported as unknown, never as unsupported.

export interface DjangoSeries {
  series: string;
  lts: boolean;
  /** month of the first final release, YYYY-MM */
  released: string;
  /** last month with upstream security support, YYYY-MM */
  endOfSupport: string;
}

export const DJANGO_SERIES: readonly DjangoSeries[] = [
  { series: "1.8", lts: true, released: "2015-04", endOfSupport: "2018-04" },
  { series: "1.9", lts: false, released: "2015-12", endOfSupport: "2017-04" },
  { series: "1.10", lts: false, released: "2016-08", endOfSupport: "2017-12" },
  { series: "1.11", lts: true, released: "2017-04", endOfSupport: "2020-04" },
  { series: "2.0", lts: false, released: "2017-12", endOfSupport: "2019-04" },
  { series: "2.1", lts: false, released: "2018-08", endOfSupport: "2019-12" },
  { series: "2.2", lts: true, released: "2019-04", endOfSupport: "2022-04" },
  { series: "3.0", lts: false, released: "2019-12", endOfSupport: "2021-04" },
  { series: "3.1", lts: false, released: "2020-08", endOfSupport: "2021-12" },
  { series: "3.2", lts: true, released: "2021-04", endOfSupport: "2024-04" },
  { series: "4.0", lts: false, released: "2021-12", endOfSupport: "2023-04" },
  { series: "4.1", lts: false, released: "2022-08", endOfSupport: "2023-12" },
  { series: "4.2", lts: true, released: "2023-04", endOfSupport: "2026-04" },
  { series: "5.0", lts: false, released: "2023-12", endOfSupport: "2025-04" },
  { series: "5.1", lts: false, released: "2024-08", endOfSupport: "2025-12" },
  { series: "5.2", lts: true, released: "2025-04", endOfSupport: "2028-04" },
  { series: "6.0", lts: false, released: "2025-12", endOfSupport: "2027-04" },
  { series: "6.1", lts: false, released: "2026-08", endOfSupport: "2027-12" },
];

export function djangoSeries(series: string): DjangoSeries | undefined {
  return DJANGO_SERIES.find((s) => s.series === series);
}

/** Support ends at the end of the endOfSupport month. */
export function isPastSupport(s: DjangoSeries, today: Date): boolean {
  const [y, m] = s.endOfSupport.split("-").map(Number) as [number, number];
  return today.getTime() >= Date.UTC(y, m, 1); // month index m is the month after (0-based)
}

/** The newest LTS series still supported on `today`: what an upgrade should aim for. */
export function currentLts(today: Date): DjangoSeries | undefined {
  return [...DJANGO_SERIES].reverse().find((s) => s.lts && !isPastSupport(s, today) && Date.UTC(Number(s.released.slice(0, 4)), Number(s.released.slice(5)) - 1, 1) <= today.getTime());
}
