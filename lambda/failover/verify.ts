/**
 * Verifies the new primary's `/health` over HTTPS: it must answer 200 with JSON whose
 * `region` is the target region (so a stale DNS answer or the wrong URL cannot pass).
 */

/** One attempt's result. */
export type HealthAttempt = { readonly ok: true } | { readonly ok: false; readonly why: string };

/** Single request with a timeout. */
export async function checkHealthOnce(url: string, targetRegion: string, timeoutMs: number): Promise<HealthAttempt> {
  try {
    const res = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, why: `HTTP ${res.status}` };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, why: 'the answer is not JSON' };
    }
    const region = typeof body === 'object' && body !== null ? (body as { region?: unknown }).region : undefined;
    if (region !== targetRegion) return { ok: false, why: `the answer is from region ${JSON.stringify(region)}` };
    return { ok: true };
  } catch (err) {
    return { ok: false, why: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}
