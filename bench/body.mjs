// A realistic ~1 KB seed-000 heartbeat body, in the layout Python's requests sends (json.dumps).
export function heartbeatBody(targetBytes = 1024) {
  const users = [];
  const body = {
    node_id: 4821,
    api_secret: 'c2lnbmV0LW5vZGUtc2VjcmV0LTQ4MjE',
    timestamp: Math.floor(Date.now() / 1000),
    stats: { uptime: 86400, connections: 15, traffic_up: 1073741824, traffic_down: 5368709120, load: 0.75 },
    core: { version: '4.34.0', status: 'running', config_version: 'a1b2c3d4e5f6' },
    users,
  };
  for (let i = 0; JSON.stringify(body).length < targetBytes; i++) {
    users.push({ email: `user${i}@example.com`, up: 1024 * i + 17, down: 4096 * i + 3, online: i % 2 === 0 });
  }
  // Python's default separators: ", " and ": ".
  return JSON.stringify(body).replace(/,"/g, ', "').replace(/":/g, '": ');
}
