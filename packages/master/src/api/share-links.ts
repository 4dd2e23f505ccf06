import type { NodeRecord, ProxyUser } from '../store/index.js';
import { CORE_FLAVOURS, isCoreFlavour } from '../xray-config/index.js';

export interface ShareLink {
  readonly nodeId: number;
  readonly nodeName: string;
  readonly transport: string;
  readonly uri: string;
}

/**
 * The `vless://` links a client app imports to use `user` on `node`: one per VLESS inbound the
 * node's config has, in the common share-link form (`type`, `security`, `path`, `sni` as query,
 * the name as fragment). The host is the one the node advertised for its Worker API; a node that
 * advertised none (or whose core flavour is not known yet) has no links.
 */
export function shareLinks(user: ProxyUser, node: NodeRecord): ShareLink[] {
  if (node.workerUrl === null || !isCoreFlavour(node.coreFlavour)) return [];
  const host = new URL(node.workerUrl).hostname;
  const { settings } = node;
  const tls = settings.tls_cert_file !== null && settings.tls_key_file !== null; // as the config generator decides
  const link = (port: number, params: Record<string, string>, label: string) => {
    const query = new URLSearchParams({
      encryption: 'none',
      security: tls ? 'tls' : 'none',
      ...(tls ? { sni: host.replace(/^\[|\]$/g, '') } : {}),
      ...params,
    });
    return `vless://${user.id}@${host}:${port}?${query}#${encodeURIComponent(label)}`;
  };
  const links: ShareLink[] = [];
  if (settings.enable_vless) {
    links.push({
      nodeId: node.id,
      nodeName: node.name,
      transport: 'tcp',
      uri: link(settings.port, { type: 'tcp' }, `${node.name} (${user.email})`),
    });
  }
  if (settings.enable_xhttp) {
    const path = `/${node.hiddenPath}`;
    const { network } = CORE_FLAVOURS[node.coreFlavour].httpTransport.stream(path);
    links.push({
      nodeId: node.id,
      nodeName: node.name,
      transport: network,
      uri: link(settings.ws_port, { type: network, path }, `${node.name} ${network} (${user.email})`),
    });
  }
  return links;
}
