"""Independent Python reference for the signer's platform adapters (a test oracle).

Reads one request per stdin line (base64 of a JSON object with a "mode") and writes one answer per
line (base64 of a JSON object). Standard library and `cryptography` only: the exchanges' documented
algorithms written out again, so a test compares two implementations, never one with itself.
"""
import base64
import functools
import hashlib
import hmac
import json
import sys
from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(raw):
    n = int.from_bytes(raw, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


def sorted_compact(value):
    # Pacifica's SDK sorts keys recursively and dumps with compact separators (ensure_ascii on).
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def pacifica(req):
    data = json.loads(req["data"])
    if "instruction" in data:
        fields = dict(data["instruction"])
        header = {"type": fields.pop("type"), "timestamp": data["nonce"]}
        header["expiry_window"] = data.get("expiry_window", 5000)
    elif "data" in data and "timestamp" in data:
        fields = data["data"]
        header = {"type": data["type"], "timestamp": data["timestamp"]}
        header["expiry_window"] = data.get("expiry_window", 5000)
    else:  # the seed's flat example, stamped with the signing time
        fields = dict(data)
        header = {"type": fields.pop("type"), "timestamp": req["nowMs"], "expiry_window": 5000}
    message = sorted_compact({**header, "data": fields})
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(req["seedHex"]))
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {
        "payload": message,
        "signature": b58encode(key.sign(message.encode("utf-8"))),
        "publicKey": b58encode(public),
    }


def js_string(value):
    # String(value) in JavaScript, for the values the tests generate (floats only where repr agrees).
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


# Loading checks an RSA key thoroughly (tens of milliseconds); each test uses one key pair.
@functools.lru_cache(maxsize=16)
def private_key(pem):
    return serialization.load_pem_private_key(pem.encode("ascii"), password=None)


@functools.lru_cache(maxsize=16)
def public_key(pem):
    return serialization.load_pem_public_key(pem.encode("ascii"))


def binance(req):
    params = json.loads(req["params"])
    query = "&".join(
        quote(k, safe="-_.~") + "=" + quote(js_string(v), safe="-_.~") for k, v in params.items()
    )
    raw = query.encode("utf-8")
    answer = {"payload": query}
    if req["keyType"] == "hmac":
        answer["signature"] = hmac.new(req["apiSecret"].encode("utf-8"), raw, hashlib.sha256).hexdigest()
        return answer
    key = private_key(req["privateKey"])
    public = public_key(req["publicKey"])
    ours = base64.b64decode(req["ours"])
    if req["keyType"] == "ed25519":
        answer["signature"] = base64.b64encode(key.sign(raw)).decode("ascii")
        public.verify(ours, raw)  # raises if our signature or our publicKey is wrong
    else:
        answer["signature"] = base64.b64encode(key.sign(raw, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")
        public.verify(ours, raw, padding.PKCS1v15(), hashes.SHA256())
    answer["verified"] = True
    return answer


def okx(req):
    body = req.get("body")
    if body is None:
        body = ""
    elif not req["bodyIsString"]:
        # What JSON.stringify writes, for the values the tests generate (no lone surrogates).
        body = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    prehash = req["timestamp"] + req["method"].upper() + req["path"] + body
    mac = hmac.new(req["apiSecret"].encode("utf-8"), prehash.encode("utf-8"), hashlib.sha256)
    return {"payload": prehash, "body": body, "signature": base64.b64encode(mac.digest()).decode("ascii")}


def canonical(req):
    return {"payload": sorted_compact(json.loads(req["json"]))}


MODES = {"pacifica": pacifica, "binance": binance, "okx": okx, "json": canonical}

for line in sys.stdin:
    request = json.loads(base64.b64decode(line))
    answer = MODES[request["mode"]](request)
    sys.stdout.write(base64.b64encode(json.dumps(answer).encode("utf-8")).decode("ascii") + "\n")
