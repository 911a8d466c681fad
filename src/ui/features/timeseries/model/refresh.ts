/** Live refresh choices of the viewer (`?refresh=10s` in the URL), when it has to poll. */
export const REFRESH_CHOICES: readonly { value: string; label: string; ms: number }[] = [
  { value: "5s", label: "5 s", ms: 5_000 },
  { value: "10s", label: "10 s", ms: 10_000 },
  { value: "30s", label: "30 s", ms: 30_000 },
  { value: "1m", label: "1 min", ms: 60_000 },
  { value: "5m", label: "5 min", ms: 300_000 },
];

export function refreshFromSearch(params: URLSearchParams): (typeof REFRESH_CHOICES)[number] | undefined {
  const value = params.get("refresh");
  return REFRESH_CHOICES.find((c) => c.value === value);
}
