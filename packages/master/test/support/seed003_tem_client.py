#!/usr/bin/env python3
"""Seed 003's L3 signature (鉴权逻辑说明 / L3.SHA* 签名逻辑) written out in Python with hashlib, for a
client that is not the seed's Postman script: the same string composition, SHA-1 or SHA-256 by the
key's algorithm, sent with `requests`.

Usage:
  seed003_tem_client.py ALGORITHM METHOD URL [BODY]     ALGORITHM: L3.SHA1 or L3.SHA256

Environment: TEM_AK, TEM_SK. BODY is sent exactly as given (and signed as `params` for POST/PUT;
GET/DELETE sign empty params). Prints one JSON line: {"status", "body" (raw text), "authorization"}.
"""
import hashlib
import json
import os
import sys
import time
from urllib.parse import urlsplit

import requests

DIGESTS = {"L3.SHA1": hashlib.sha1, "L3.SHA256": hashlib.sha256}


def authorization(algorithm, ak, sk, method, url, body):
    # ak:<AK>|sk:<SK>|time:<UnixTime>|method:<Method>|url:<URL>|params:<Params>
    unixtime = str(int(time.time()))
    params = body if method in ("POST", "PUT") else ""
    plaintext = f"ak:{ak}|sk:{sk}|time:{unixtime}|method:{method}|url:{urlsplit(url).path}|params:{params}"
    signature = DIGESTS[algorithm](plaintext.encode()).hexdigest()
    return f"Bearer TEM-AUTH:{ak}:{signature}:{unixtime}"


def call(algorithm, method, url, body=None):
    header = authorization(algorithm, os.environ["TEM_AK"], os.environ["TEM_SK"], method, url, body or "")
    headers = {"Authorization": header}
    if body is not None:
        headers["Content-Type"] = "application/json"
    data = None if body is None else body.encode()
    response = requests.request(method, url, headers=headers, data=data, timeout=10)
    return {"status": response.status_code, "body": response.text, "authorization": header}


if __name__ == "__main__":
    print(json.dumps(call(*sys.argv[1:5])))
