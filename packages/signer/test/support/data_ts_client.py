"""A seed-002 client: signs requests with generate_signature(data, timestamp) as the seed defines it.

Usage: data_ts_client.py URL METHOD BODY [mode]; mode is ok (default), bad-signature, expired or
no-signature. Prints the HTTP status and the response body.
"""
import hashlib
import hmac
import os
import sys
import time

import requests

API_SECRET_KEY = os.environ["API_SECRET_KEY"].split(",")[0].encode()


# seed 002, verbatim
def generate_signature(data: str, timestamp: str) -> str:
    message = f"{data}{timestamp}".encode()
    signature = hmac.new(API_SECRET_KEY, message, hashlib.sha256).hexdigest()
    return signature


url, method, body = sys.argv[1], sys.argv[2], sys.argv[3]
mode = sys.argv[4] if len(sys.argv) > 4 else "ok"
timestamp = str(int(time.time() * 1000) - (600_000 if mode == "expired" else 0))
headers = {"Content-Type": "application/json", "X-Timestamp": timestamp}
if mode != "no-signature":
    headers["X-Signature"] = generate_signature(body, timestamp)
if mode == "bad-signature":
    headers["X-Signature"] = generate_signature(body + " ", timestamp)
response = requests.request(method, url, data=body.encode() if body else None, headers=headers)
print(response.status_code)
print(response.text)
