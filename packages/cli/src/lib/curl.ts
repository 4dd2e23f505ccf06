/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A ready-to-paste curl command line. */
export function curlLine(
  method: string,
  url: string | undefined,
  headers: Readonly<Record<string, string>>,
  body: string | undefined,
): string {
  const parts = ['curl', '-X', method];
  for (const [name, value] of Object.entries(headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (body !== undefined && body !== '') parts.push('--data-binary', shellQuote(body));
  parts.push(shellQuote(url ?? 'http://HOST:PORT/PATH'));
  return parts.join(' ');
}
