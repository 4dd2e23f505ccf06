"""The seeds' own client code, as printed in ../../../../../shared/seeds, driven by JSON on stdin.

Each function below is copied from its seed unchanged (seed 001 gives pseudocode, written here in
the plainest Python). Input: a JSON list of {"scheme": ..., ...}; output: a JSON list of results.
"""
import hashlib
import hmac
import json
import sys


# seed 000: generate_signature(data, api_secret)
def generate_signature_000(data, api_secret):
    message = json.dumps(data, sort_keys=True).encode()
    signature = hmac.new(api_secret.encode(), message, hashlib.sha256).hexdigest()
    return signature


# seed 001: generateSignature(timestamp, nonce, secretKey)
def generate_signature_001(timestamp, nonce, secret_key):
    data = {"timestamp": timestamp, "nonce": nonce}
    sorted_pairs = sorted((str(k), str(v)) for k, v in data.items())
    query_string = "&".join(f"{k}={v}" for k, v in sorted_pairs)
    return hmac.new(secret_key.encode(), query_string.encode(), hashlib.sha256).hexdigest()


# seed 002: generate_signature(data, timestamp) under API_SECRET_KEY
def generate_signature_002(api_secret_key, data, timestamp):
    message = f"{data}{timestamp}".encode()
    signature = hmac.new(api_secret_key, message, hashlib.sha256).hexdigest()
    return signature


def run(case):
    scheme = case["scheme"]
    if scheme == "xray":
        # What requests sends for json=data: json.dumps(data) with default separators, no sorting.
        data = json.loads(case["body"])
        return {"sent": json.dumps(data), "signature": generate_signature_000(data, case["secret"])}
    if scheme == "internal":
        return {"signature": generate_signature_001(case["timestamp"], case["nonce"], case["secret"])}
    if scheme == "data-ts":
        return {"signature": generate_signature_002(case["secret"].encode(), case["data"], case["timestamp"])}
    if scheme == "tem-sha1-of-sk":
        return {"signature": hashlib.sha1(case["secretKey"].encode()).hexdigest()}
    raise ValueError(scheme)


print(json.dumps([run(case) for case in json.load(sys.stdin)]))
