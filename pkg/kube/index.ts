export { createTunnelledKubeConfig, TunnelAgent, TunnelledKubeConfig } from './tunnel-client.js';
export { ADMIN_CONF, apiserverAddress, DEFAULT_APISERVER_PORT, kubeClientFromLeader, type KubeClient } from './leader.js';
