/**
 * Response helpers for Lambda Function URL and API Gateway HTTP API (payload v2) handlers.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The response shape both Function URLs and HTTP APIs accept. */
export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };

/** A JSON response; never cached by intermediaries. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** A JSON error `{error: {code, message}}` plus optional extra fields (e.g. `field`). */
export function httpError(
  statusCode: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpResponse {
  return json(statusCode, { error: { code, message, ...extra } }, headers);
}
