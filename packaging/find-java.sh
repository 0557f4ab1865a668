# Sourced by ./mta and .ci/run: sets JAVA_HOME to a JDK 21 or newer and puts it first on PATH.
# Order: $JAVA_HOME, the java on PATH, then the JDKs under /usr/lib/jvm (newest first). Debian
# 12 ships only 17; this machine kind carries a Temurin 25 there. When none is found and we are
# root, Debian's openjdk-21 (or newer) is installed if the archive offers one.

. "$(dirname "${BASH_SOURCE[0]}")/java-lookup.sh"

if ! mta_find_java_home javac; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "mta: no JDK 21+ found; trying Debian's packages" >&2
    apt-get update -qq >/dev/null 2>&1 || true
    for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
      if apt-get install -y -qq "$pkg" >/dev/null 2>&1; then break; fi
    done
  fi
  if ! mta_find_java_home javac; then
    echo "mta: a JDK 21 or newer is needed: set JAVA_HOME to one (found none under /usr/lib/jvm)" >&2
    exit 69
  fi
fi
export JAVA_HOME="$MTA_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
