# Sourced by ./test: installs the Debian packages the tests drive as real peers, when missing.
#   strace   SyncSyscallTest watches the queue's fsync calls
#   systemd  mta-dist's SystemdUnitIT checks the packaged unit with systemd-analyze
#   dpkg     mta-dist opens the .deb with dpkg-deb and unpacks it with dpkg (always there on Debian)
#   chromium StatusPageTest loads the admin listener's status page in headless Chromium
#   gcc, libc6-dev  mta-dist compiles the set-group-ID mail drop helper (packaging/postdrop) for
#            the .deb, and its tests compile it again against a scratch mail drop
# Needs root (or sudo) and apt-get; without them it says what to install and the run fails.

mta_missing_packages() {
  local missing=() pkg tool
  for pair in strace:/usr/bin/strace systemd:/usr/bin/systemd-analyze dpkg:/usr/bin/dpkg-deb gcc:/usr/bin/cc \
      libc6-dev:/usr/include/stdio.h chromium:/usr/bin/chromium; do
    pkg=${pair%%:*}; tool=${pair#*:}
    [ -e "$tool" ] || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

mta_install_test_tools() {
  local missing sudo=""
  missing=$(mta_missing_packages)
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
      echo "test: the tests need these Debian packages: $missing (apt-get install $missing)" >&2
      return 69
    fi
  fi
  echo "test: installing $missing" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 || {
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
  }
}

mta_install_test_tools
