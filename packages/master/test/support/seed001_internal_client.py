#!/usr/bin/env python3
"""Seed 001's signature pseudocode (签名生成逻辑 / 伪代码实现), written out in Python, calling a /v1/internal
route with `requests`, as another service would.

Usage:
  seed001_internal_client.py METHOD URL [JSON_BODY]

Environment:
  SIGNET_INTERNAL_KEY   the pre-shared key (预共享密钥)
  SEED001_TIMESTAMP     X-Timestamp to send (default: now, UTC seconds); set it to replay or go stale
  SEED001_NONCE         X-Nonce to send (default: random); set it to replay a request

Prints one JSON line: {"status", "body" (the raw response text), "timestamp", "nonce"}.

The signature covers only `timestamp` and `nonce` -- never the method, path or body -- exactly as the
seed specifies; the nonce, claimed once by the server, is what stops a captured request from being
sent again.
"""
import hashlib
import hmac
import json
import os
import secrets
import sys
import time

import requests


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


def call(method, url, body=None):
    secret_key = os.environ["SIGNET_INTERNAL_KEY"]
    timestamp = os.environ.get("SEED001_TIMESTAMP") or str(int(time.time()))
    nonce = os.environ.get("SEED001_NONCE") or secrets.token_hex(16)
    headers = {
        "X-Signature": generate_signature(timestamp, nonce, secret_key),
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
    }
    kwargs = {} if body is None else {"json": json.loads(body)}
    response = requests.request(method, url, headers=headers, timeout=10, **kwargs)
    return {"status": response.status_code, "body": response.text, "timestamp": timestamp, "nonce": nonce}


if __name__ == "__main__":
    print(json.dumps(call(*sys.argv[1:4])))
