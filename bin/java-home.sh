# Sourced by Fhirbolt's scripts: finds a JDK 21 or newer and exports JAVA_HOME, or explains and exits.
fhirbolt_java_version() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}
fhirbolt_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$dir" ] && candidates+=("$dir")
  done
  local home version
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/javac" ] || continue
    version=$(fhirbolt_java_version "$home/bin/java")
    if [ -n "$version" ] && [ "$version" -ge 21 ]; then
      echo "$home"
      return 0
    fi
  done
  return 1
}
if ! FHIRBOLT_JDK=$(fhirbolt_find_jdk); then
  echo "Fhirbolt needs a JDK 21 or newer, and none was found." >&2
  echo "Looked at JAVA_HOME (${JAVA_HOME:-unset}), the javac on PATH and /usr/lib/jvm." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$FHIRBOLT_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
