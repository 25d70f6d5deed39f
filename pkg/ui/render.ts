// The dashboard's pages: plain HTML forms and an inline style sheet, nothing fetched from
// anywhere. Every value goes through `html` (pkg/ui/html.ts), which escapes it. Forms carry
// the token as a field: a POST must name it, the cookie alone is not enough.
import { html, type Markup } from './html.js';
import type { MachineDeploymentRow, NodeRow, Overview, PodRow } from './model.js';

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1d2330}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccd;padding:.25rem .6rem;text-align:left}
th{background:#eef}.healthy,.Ready{color:#17692a}.unhealthy,.NotReady{color:#b00020;font-weight:bold}.unknown,.Unknown{color:#777}
form{display:inline}button{margin:0 .1rem}.error{color:#b00020}small{color:#555}`;

function page(title: string, body: Markup): string {
  return html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`.text;
}

function postButton(token: string, action: string, fields: Record<string, string>, label: string, confirm?: string): Markup {
  const inputs = Object.entries(fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  // No script: a destructive action asks in its label instead of a confirm() dialog.
  return html`<form method="post" action="${action}"><input type="hidden" name="token" value="${token}">${inputs}<button type="submit"${confirm ? html` title="${confirm}"` : ''}>${label}</button></form>`;
}

function nodeTable(rows: NodeRow[], controlPlane: boolean): Markup {
  if (rows.length === 0) return html`<p><small>none</small></p>`;
  const head = html`<tr><th>Name</th><th>Status</th><th>Heartbeat</th><th>Kubelet</th>${controlPlane ? html`<th>API server</th><th>etcd</th>` : ''}<th></th></tr>`;
  const body = rows.map(
    (n) => html`<tr><td>${n.name}</td><td class="${n.status.split(',')[0]!}">${n.status}</td><td>${n.heartbeat}</td><td>${n.version}</td>${
      controlPlane ? html`<td class="${n.apiserver}">${n.apiserver}</td><td class="${n.etcd}">${n.etcd}</td>` : ''
    }<td><a href="/pods?node=${encodeURIComponent(n.name)}">pods</a></td></tr>`,
  );
  return html`<table>${head}${body}</table>`;
}

function machineDeploymentBlock(md: MachineDeploymentRow, token: string): Markup {
  const id = { namespace: md.namespace, name: md.name };
  const machines = md.machines.map(
    (m) => html`<tr><td>${m.name}</td><td>${m.node || '-'}</td><td>${m.kubelet}</td><td>${m.address || '-'}</td><td>${m.age}</td><td>${
      m.deleting ? html`<small>deleting</small>` : postButton(token, '/delete-machine', { namespace: m.namespace, name: m.name }, 'delete', 'deletes the Machine; its MachineSet creates a new one')
    }</td></tr>`,
  );
  return html`<h3>${md.namespace}/${md.name}</h3>
<p>replicas ${md.replicas}, available ${md.available}, kubelet ${md.kubelet || '-'}, age ${md.age}
${postButton(token, '/scale', { ...id, direction: 'up' }, 'scale up')}${postButton(token, '/scale', { ...id, direction: 'down' }, 'scale down')}${postButton(token, '/rollout', id, 'rollout restart', 'replaces every Machine')}</p>
${md.machines.length === 0 ? html`<p><small>no Machines</small></p>` : html`<table><tr><th>Machine</th><th>Node</th><th>Kubelet</th><th>External IP</th><th>Age</th><th></th></tr>${machines}</table>`}`;
}

export function overviewPage(o: Overview, token: string, clusterName: string): string {
  const machines = !o.machineApi
    ? html`<p><small>the cluster does not serve cluster.k8s.io/v1alpha1 (no machine-controller): no MachineDeployments</small></p>`
    : o.machineDeployments.length === 0
      ? html`<p><small>none in kube-system</small></p>`
      : o.machineDeployments.map((md) => machineDeploymentBlock(md, token));
  return page(
    `kubeone: ${clusterName}`,
    html`<h1>${clusterName}</h1>
<h2>Control-plane nodes</h2>${nodeTable(o.controlPlanes, true)}
<h2>Worker nodes</h2>${nodeTable(o.workers, false)}
<h2>MachineDeployments</h2>${machines}`,
  );
}

export function podsPage(node: string, pods: PodRow[], token: string): string {
  const rows = pods.map(
    (p) => html`<tr><td>${p.namespace}</td><td>${p.name}</td><td>${p.phase}</td><td>${p.ready}</td><td>${p.restarts}</td><td>${p.age}</td><td>${postButton(
      token,
      '/delete-pod',
      { namespace: p.namespace, name: p.name, node },
      'delete',
    )}</td></tr>`,
  );
  return page(
    `kubeone: pods on ${node}`,
    html`<p><a href="/">overview</a></p><h1>Pods on ${node}</h1>
${pods.length === 0 ? html`<p><small>no pods</small></p>` : html`<table><tr><th>Namespace</th><th>Name</th><th>Status</th><th>Ready</th><th>Restarts</th><th>Age</th><th></th></tr>${rows}</table>`}`,
  );
}

export function errorPage(status: number, message: string): string {
  return page(`kubeone: ${status}`, html`<h1 class="error">${status}</h1><p>${message}</p><p><a href="/">overview</a></p>`);
}
