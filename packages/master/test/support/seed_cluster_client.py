#!/usr/bin/env python3
"""Seed 000's XrayClusterClient, verbatim, driven by this file's last lines.

Usage: seed_cluster_client.py MASTER_URL TOKEN. Registers with the token, then sends a heartbeat
and pulls the config with the api_secret the master returned, printing each result as JSON.
"""
import requests
import hmac
import hashlib
import json
import time
import sys

# ---- seed 000, 完整示例 / Python客户端示例, verbatim ----
class XrayClusterClient:
    def __init__(self, master_url, api_secret):
        self.master_url = master_url
        self.api_secret = api_secret
    
    def _generate_signature(self, data):
        """生成HMAC签名"""
        message = json.dumps(data, sort_keys=True).encode()
        return hmac.new(
            self.api_secret.encode(),
            message,
            hashlib.sha256
        ).hexdigest()
    
    def register(self, token):
        """注册节点"""
        url = f"{self.master_url}/api/node/register"
        data = {
            "token": token,
            "timestamp": int(time.time())
        }
        
        response = requests.post(url, json=data)
        return response.json()
    
    def heartbeat(self, node_id, stats):
        """发送心跳"""
        url = f"{self.master_url}/api/node/heartbeat"
        data = {
            "node_id": node_id,
            "api_secret": self.api_secret,
            "timestamp": int(time.time()),
            "stats": stats
        }
        
        response = requests.post(url, json=data)
        return response.json()
    
    def get_config(self, node_id):
        """获取配置"""
        url = f"{self.master_url}/api/node/config"
        data = {
            "node_id": node_id,
            "api_secret": self.api_secret
        }
        
        response = requests.post(url, json=data)
        return response.json()
# ---- end of seed code ----

master_url, token = sys.argv[1], sys.argv[2]
registered = XrayClusterClient(master_url=master_url, api_secret="your-api-secret").register(token)
print(json.dumps({"register": registered}))
client = XrayClusterClient(master_url=master_url, api_secret=registered["api_secret"])
stats = {"uptime": 86400, "connections": 15, "traffic_up": 1073741824, "traffic_down": 5368709120}
print(json.dumps({"heartbeat": client.heartbeat(node_id=registered["node_id"], stats=stats)}))
print(json.dumps({"config": client.get_config(registered["node_id"])}))
wrong = XrayClusterClient(master_url=master_url, api_secret="wrong-secret")
print(json.dumps({"wrong": wrong.heartbeat(node_id=registered["node_id"], stats=stats)}))
print(json.dumps({"replayed_token": XrayClusterClient(master_url, "x").register(token)}))
