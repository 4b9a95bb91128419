#!/usr/bin/env bash
# Installs those of the named Debian packages that are missing: as root with apt-get; otherwise
# it prints the exact command to run and stops, so nothing is half-installed.
# Usage: apt-install.sh LABEL PACKAGE...   (LABEL starts each message: "setup (test)", "bench-deps")
#
# No service starts, now or at the next boot: the tests start munged, slurmctld and slurmd
# themselves, in a folder of their own, and nobody who runs `make test` asked for a cluster.
#   - While apt-get runs, /usr/sbin/policy-rc.d exits 101 ("action forbidden"), which both
#     invoke-rc.d and deb-systemd-invoke obey, so the packages' scripts start nothing. It is put
#     there only if there is none (Debian's container images ship one already) and removed
#     afterwards, whatever happens; an apt-get run by someone else at that moment would start
#     nothing either.
#   - Afterwards, the services and timers of the packages this run installed are disabled
#     (systemd units and init scripts), so they do not start at boot. Packages that were already
#     installed are not touched: a munge someone set up stays as it is.
set -euo pipefail
label=$1
shift
missing=()
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "$label: these Debian packages are missing: ${missing[*]}" >&2
    echo "$label: install them with:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
    trap 'rm -f "$policy"' EXIT
    trap 'exit 130' INT  # through the EXIT trap, which removes it
    trap 'exit 143' TERM
    printf '#!/bin/sh\n# Put here by kl-grader'"'"'s scripts/apt-install.sh while it installs packages.\nexit 101\n' >"$policy"
    chmod 755 "$policy"
fi
# The packages installed now (not those removed that left their configuration behind).
installed() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null | awk '$1 == "ii" { print $2 }' | sort; }
before=$(installed)

echo "$label: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

# Every package now installed that was not before, dependencies included.
new=$(comm -13 <(echo "$before") <(installed))
for p in $new; do
    while read -r file; do
        case $file in
            /lib/systemd/system/*.service | /lib/systemd/system/*.timer | \
                /usr/lib/systemd/system/*.service | /usr/lib/systemd/system/*.timer)
                unit=${file##*/}
                case $unit in *@.*) continue ;; esac  # templates are not enabled on their own
                # systemctl enables and disables units without a running systemd too (it only
                # edits the links); without systemctl, nothing starts a unit at boot anyway.
                if command -v systemctl >/dev/null &&
                    systemctl is-enabled --quiet "$unit" 2>/dev/null; then
                    echo "$label: $unit (from $p) will not start at boot" >&2
                    systemctl disable --quiet "$unit" >/dev/null 2>&1 || true
                fi
                ;;
            /etc/init.d/*)
                if command -v update-rc.d >/dev/null; then
                    update-rc.d -f "${file##*/}" disable >/dev/null 2>&1 || true
                fi
                ;;
        esac
    done < <(dpkg-query -L "$p" 2>/dev/null)
done
