/** A GraphQL-over-HTTP call as a consumer makes it: real HTTP to the gateway on loopback. */
export async function postGraphQL(url: string, query: string, options: { variables?: Record<string, unknown>; operationName?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables: options.variables, operationName: options.operationName }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; extensions?: Record<string, unknown> };
  return { status: response.status, headers: response.headers, body };
}
