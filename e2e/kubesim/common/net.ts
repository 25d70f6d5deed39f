// Address helpers shared by kubeadm and the kubelet.

/** First usable address of the (first) service subnet: the kubernetes Service IP. */
export function firstServiceIp(serviceSubnet: string): string {
  const cidr = serviceSubnet.split(',')[0]!.trim();
  const [base] = cidr.split('/');
  if (!base!.includes('.')) {
    // IPv6: base + 1 on the last group
    const groups = base!.replace(/::$/, '::0').split(':');
    const last = parseInt(groups[groups.length - 1] || '0', 16) + 1;
    groups[groups.length - 1] = last.toString(16);
    return groups.join(':');
  }
  const n = base!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The 10th address of the service subnet: kube-dns (kubeadm's default). */
export function dnsServiceIp(serviceSubnet: string): string {
  const cidr = serviceSubnet.split(',')[0]!.trim();
  const [base] = cidr.split('/');
  const n = base!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 10;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
