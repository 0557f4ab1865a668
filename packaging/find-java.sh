# Sourced by ./mta and .ci/run: sets JAVA_HOME to a JDK 21 or newer and puts it first on PATH.
# Order: $JAVA_HOME, the java on PATH, then the JDKs under /usr/lib/jvm (newest first). Debian
# 12 ships only 17; this machine kind carries a Temurin 25 there. When none is found and we are
# root, Debian's openjdk-21 (or newer) is installed if the archive offers one.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

usable_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(java_major "$1/bin/java")" -ge 21 ] 2>/dev/null
}

find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && usable_jdk "$JAVA_HOME"; then echo "$JAVA_HOME"; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    local home
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if usable_jdk "$home"; then echo "$home"; return 0; fi
  fi
  local candidate
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -V -r); do
    if usable_jdk "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

if ! MTA_JDK=$(find_jdk); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "mta: no JDK 21+ found; trying Debian's packages" >&2
    apt-get update -qq >/dev/null 2>&1 || true
    for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-get install -y -qq "$pkg" >/dev/null 2>&1; then break; fi
    done
  fi
  if ! MTA_JDK=$(find_jdk); then
    echo "mta: a JDK 21 or newer is needed: set JAVA_HOME to one (found none under /usr/lib/jvm)" >&2
    exit 69
  fi
fi
export JAVA_HOME="$MTA_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
