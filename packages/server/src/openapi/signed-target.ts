/**
 * The request target a TEM client signed: path and query exactly as received. Seed 003's
 * GetUrlRelativePath drops `scheme://host` from the URL, so an absolute-form target (as sent
 * through a proxy) is signed without it too.
 */
export function signedTarget(url: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  return authority ? url.slice(authority[0].length) : url;
}
