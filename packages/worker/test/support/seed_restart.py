"""Seed 000's restart example (重启Xray服务 → 示例), verbatim but for the URL and the secret, which
come from the command line: seed_restart.py WORKER_URL API_SECRET."""
import sys

WORKER_URL, API_SECRET = sys.argv[1], sys.argv[2]

# ---- seed 000, verbatim (host and secret substituted) ----
import requests
import hmac
import hashlib
import json
import time

api_secret = API_SECRET
data = {"timestamp": int(time.time())}

signature = hmac.new(
    api_secret.encode(),
    json.dumps(data, sort_keys=True).encode(),
    hashlib.sha256
).hexdigest()

response = requests.post(
    f"{WORKER_URL}/api/restart",
    json=data,
    headers={"X-Signature": signature}
)
print(response.json())
