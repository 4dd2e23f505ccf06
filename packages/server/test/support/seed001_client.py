#!/usr/bin/env python3
"""Seed 001's signature pseudocode (签名生成逻辑), written out in Python, and the request it signs.

Usage:
  seed001_client.py sign SECRET TIMESTAMP NONCE      prints the hex signature
  seed001_client.py get URL SECRET [TIMESTAMP [NONCE]]
      GETs URL with X-Signature, X-Timestamp (default: now, UTC seconds) and X-Nonce (default:
      random), printing {"status", "body" (the raw text), "headers"} as one JSON line.
"""
import hashlib
import hmac
import json
import secrets
import sys
import time
import urllib.error
import urllib.request


# ---- seed 001, 伪代码实现 ----
# function generateSignature(timestamp, nonce, secretKey):
#     data = {"timestamp": timestamp, "nonce": nonce}
#     sortedPairs = sort(data.entries())
#     queryString = join(sortedPairs, "&", "=")
#     signature = hmac_sha256(queryString, secretKey)
#     return hex_encode(signature)
def generate_signature(timestamp, nonce, secret_key):
    data = {"timestamp": timestamp, "nonce": nonce}
    sorted_pairs = sorted((str(k), str(v)) for k, v in data.items())
    query_string = "&".join("=".join(pair) for pair in sorted_pairs)
    signature = hmac.new(secret_key.encode(), query_string.encode(), hashlib.sha256).digest()
    return signature.hex()


def get(url, secret_key, timestamp=None, nonce=None):
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or secrets.token_hex(16)
    headers = {
        "X-Signature": generate_signature(timestamp, nonce, secret_key),
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
    }
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return {"status": status, "body": body, "headers": headers}


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "sign":
        secret_key, timestamp, nonce = args
        print(generate_signature(timestamp, nonce, secret_key))
    elif command == "get":
        print(json.dumps(get(*args)))
    else:
        sys.exit(f"unknown command {command}")
