// Seed 003's "示例脚本 L3.SHA256", run in a plain `node` process. The script below the marker is the
// seed's, verbatim; the preamble stands in for the API tool it was written for (request.url,
// request.method, request.request_bodys, apt.variables, apt.setRequestHeader), and CryptoJS.SHA256
// (...).toString() is node:crypto's createHash('sha256') hex digest -- the only substitutions.
//
// Environment: TEM_URL (the full request URL), TEM_METHOD, TEM_BODY (the raw body text; empty for
// GET/DELETE, as the seed says), TEM_AK, TEM_SK. Prints the header the script sets as one JSON line:
// {"name": "Authorization", "value": "Bearer TEM-AUTH:…"}.
//
// The script is kept as text (so no formatter touches it) and run as a function of exactly the names
// it uses; api.seed-clients.test.ts checks that it is the seed's text, line for line.
import { createHash } from 'node:crypto';

const request = {
  url: process.env.TEM_URL,
  method: process.env.TEM_METHOD,
  request_bodys: process.env.TEM_BODY ?? '',
};
const variables = { accessKey: process.env.TEM_AK, secretKey: process.env.TEM_SK };
const apt = {
  variables: { get: (name) => variables[name] },
  setRequestHeader: (name, value) => process.stdout.write(JSON.stringify({ name, value }) + '\n'),
};
const CryptoJS = {
  SHA256: (text) => ({ toString: () => createHash('sha256').update(text).digest('hex') }),
};
// The script logs its plaintext, which holds the secret key: its console is silent; stdout is for the header.
const quiet = { log: () => {} };

// ---- seed 003, verbatim ----
const SEED_SCRIPT = `// 获取 query 参数 param1, param2
var querybody = request.request_bodys;
function GetUrlRelativePath(url) {
var arrUrl = url.split("//");
var start = arrUrl[1].indexOf("/");
var relUrl = arrUrl[1].substring(start);
return relUrl;
}
// 获取URL
var urlstr = GetUrlRelativePath(request.url)
var method = request.method
console.log(request)
// 获取预先设置为环境变量的 accessKey 和 secretKey
var ak = apt.variables.get("accessKey");
var sk = apt.variables.get("secretKey");
var timestamp = parseInt(new Date().getTime() / 1000);
var painttext = "ak:" + ak + "|sk:" + sk + "|time:" + timestamp + "|method:" + method + "|url:" + urlstr + "|params:" + querybody
console.log(painttext);
// 将 str 进行 sha256 加密生成 sign
var sign = CryptoJS.SHA256(painttext).toString();
var token = "TEM-AUTH:" + ak + ":" + sign + ":" + timestamp
apt.setRequestHeader("Authorization", "Bearer " + token);
console.log(token);
`;

new Function('request', 'apt', 'CryptoJS', 'console', SEED_SCRIPT)(request, apt, CryptoJS, quiet);
