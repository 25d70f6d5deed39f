#!/bin/bash
# Runs INSIDE the new rootfs (chroot) after the packages are installed: turns a
# Debian minbase into a sandbox host. Argument: the masked-units list file.
set -euo pipefail
masked_units_file=$1

# The login user of the fleet: passwordless sudo, key-only SSH. The password
# field '*' means "no password" without marking the account as locked (sshd
# refuses locked accounts even for public keys when PAM is off).
if ! id kubeone >/dev/null 2>&1; then
  useradd --create-home --shell /bin/bash kubeone
fi
usermod -p '*' kubeone
install -d -m 0700 -o kubeone -g kubeone /home/kubeone/.ssh
chmod 0440 /etc/sudoers.d/kubeone
visudo -c -q

# No host keys in the image: kubeone-ssh-host-keys.service makes them at first boot.
rm -f /etc/ssh/ssh_host_*
systemctl enable kubeone-ssh-host-keys.service ssh.service

# etcd runs only as a static pod (Kubernetes simulator), never as Debian's service.
systemctl disable etcd.service

grep -v '^\s*\(#\|$\)' "$masked_units_file" | xargs systemctl mask

# Identity that must be unique per container: an empty machine-id makes systemd
# generate one at boot; Docker provides /etc/hostname, /etc/hosts, resolv.conf.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id /etc/hostname
ln -s /etc/machine-id /var/lib/dbus/machine-id

systemctl set-default multi-user.target
