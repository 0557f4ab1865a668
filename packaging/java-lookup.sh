# Functions that find a Java 21 or newer, sourced by find-java.sh (a JDK to build with) and by
# the installed launcher bin/mta (a runtime to run with; the .deb and the tarball carry this file
# in lib/). Order: $JAVA_HOME, the tool on PATH, then the homes under /usr/lib/jvm, newest first.
# Sets MTA_JAVA_HOME and MTA_JAVA_MAJOR; defines no other globals.

# java_major JAVA: the feature release (21, 25, ...) of that java binary.
java_major() {
  local release version
  # The image's release file answers without starting a JVM (sendmail runs once per message).
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -r "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$release")
    if [ -n "$version" ]; then echo "$version"; return 0; fi
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

# mta_usable_java_home HOME TOOL: HOME/bin/java is 21 or newer and HOME/bin/TOOL exists
# (TOOL java: a runtime will do; javac: a JDK is needed).
mta_usable_java_home() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/$2" ] || return 1
  MTA_JAVA_MAJOR=$(java_major "$1/bin/java")
  [ "$MTA_JAVA_MAJOR" -ge 21 ] 2>/dev/null
}

# mta_find_java_home TOOL: sets MTA_JAVA_HOME (and MTA_JAVA_MAJOR) to the first usable home;
# returns 1 when there is none.
mta_find_java_home() {
  local tool=$1 home candidate
  MTA_JAVA_HOME=""
  if [ -n "${JAVA_HOME:-}" ] && mta_usable_java_home "$JAVA_HOME" "$tool"; then MTA_JAVA_HOME=$JAVA_HOME; return 0; fi
  if command -v "$tool" >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v "$tool")")")")
    if mta_usable_java_home "$home" "$tool"; then MTA_JAVA_HOME=$home; return 0; fi
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -V -r); do
    if mta_usable_java_home "$candidate" "$tool"; then MTA_JAVA_HOME=$candidate; return 0; fi
  done
  return 1
}
