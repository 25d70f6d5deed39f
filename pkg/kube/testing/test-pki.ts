// A throw-away cluster PKI for tests: CA, apiserver certificate for 127.0.0.1, admin client
// certificate, and the admin.conf that ties them together (as kubeadm writes it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'ignore' });
}

export class TestPki {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'kubeone-pki-'));

  constructor() {
    this.ca('ca');
    this.ca('other-ca');
    this.signed('server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:kubernetes\n');
    this.signed('admin', '/O=system:masters/CN=kubernetes-admin');
  }

  private ca(name: string): void {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=kubernetes', '-keyout', `${name}.key`, '-out', `${name}.crt`], this.dir);
  }

  private signed(name: string, subject: string, ext?: string): void {
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', subject, '-keyout', `${name}.key`, '-out', `${name}.csr`], this.dir);
    if (ext) writeFileSync(path.join(this.dir, `${name}.ext`), ext);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${name}.crt`, ...(ext ? ['-extfile', path.join(this.dir, `${name}.ext`)] : [])], this.dir);
  }

  file(name: string): Buffer {
    return readFileSync(path.join(this.dir, name));
  }

  adminConf(caFile = 'ca.crt'): string {
    const b64 = (f: string) => this.file(f).toString('base64');
    return `apiVersion: v1
kind: Config
clusters:
- cluster: {certificate-authority-data: ${b64(caFile)}, server: 'https://api.unreachable.invalid:6443'}
  name: kubernetes
contexts:
- context: {cluster: kubernetes, user: kubernetes-admin}
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
users:
- name: kubernetes-admin
  user: {client-certificate-data: ${b64('admin.crt')}, client-key-data: ${b64('admin.key')}}
`;
  }

  destroy(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
