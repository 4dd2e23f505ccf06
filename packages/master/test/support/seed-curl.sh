#!/bin/bash
# Seed 000's cURL示例, verbatim but for the three variables, which the test passes in.
MASTER_URL="${MASTER_URL:?}"
NODE_TOKEN="${NODE_TOKEN:?}"
API_SECRET="${API_SECRET:-your-api-secret}"

# 注册节点
curl -X POST "$MASTER_URL/api/node/register" \
  -H "Content-Type: application/json" \
  -d "{
    \"token\": \"$NODE_TOKEN\",
    \"timestamp\": $(date +%s)
  }"
echo
