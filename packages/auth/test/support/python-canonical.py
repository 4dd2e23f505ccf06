"""Oracle for canonical JSON: what a Python signer computes from a raw request body.

Reads lines from stdin, each the base64 of one raw body (bytes, exactly as received). For each,
writes one line:
    OK <base64 of json.dumps(json.loads(raw), sort_keys=True), UTF-8>
    ERR <exception class name>
json.loads is given the bytes, as a server would: that detects UTF-8/16/32, strips a UTF-8 BOM and
decodes with 'surrogatepass'. Nothing else is done, so this is CPython's answer, quirks included.
"""

import base64
import json
import sys


def canonical(raw: bytes) -> bytes:
    try:
        text = json.dumps(json.loads(raw), sort_keys=True)
        return b"OK " + base64.b64encode(text.encode("utf-8"))
    # JSONDecodeError, UnicodeDecodeError, ValueError (ints over 4300 digits), RecursionError...
    except Exception as e:  # noqa: BLE001 - the class name is the answer
        return b"ERR " + type(e).__name__.encode("ascii")


def main() -> None:
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        out.write(canonical(base64.b64decode(line.strip(), validate=True)) + b"\n")
    out.flush()


if __name__ == "__main__":
    main()
