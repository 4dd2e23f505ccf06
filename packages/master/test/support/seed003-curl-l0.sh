#!/usr/bin/env bash
# Seed 003's curl line (OpenAPI 调用示例), an L0.PLAINTEXT key's `TEM-AUTH:<ak>:<sk>`: only the address,
# the path (a resource of Signet's instead of TEM's TiDB cluster) and the AK/SK are this test's.
set -euo pipefail
curl -X GET -H "Authorization: Bearer TEM-AUTH:${AK}:${SK}" ${MASTER_URL}/api/v1/cluster/summary
