#!/bin/bash
# Seed 000's heartbeat cURL line, verbatim but for the variables (the seed hard-codes node_id 1).
MASTER_URL="${MASTER_URL:?}"
API_SECRET="${API_SECRET:?}"

# 发送心跳
curl -X POST "$MASTER_URL/api/node/heartbeat" \
  -H "Content-Type: application/json" \
  -d "{
    \"node_id\": ${NODE_ID:-1},
    \"api_secret\": \"$API_SECRET\",
    \"timestamp\": $(date +%s),
    \"stats\": {
      \"uptime\": 86400,
      \"connections\": 15,
      \"traffic_up\": 1073741824,
      \"traffic_down\": 5368709120
    }
  }"
echo
