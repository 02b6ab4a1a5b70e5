#!/usr/bin/env bash
# Builds and installs a real Asterisk 20.20.1 (LTS) with PJSIP (bundled pjproject 2.17), AGI,
# AudioSocket, voicemail and the English core sounds, for the system-test tier
# (ivr-server/src/test/java/dev/ivr/server/system). No download other than Debian packages.
#
#   .ci/install-asterisk.sh [PREFIX]       default PREFIX: $IVR_ASTERISK_HOME or /opt/asterisk-20.20.1
#
# The source tarballs (asterisk-20.20.1.tar.gz, pjproject-2.17.tar.bz2) are not in the
# repository: the script looks for them in $IVR_ASTERISK_SOURCES, then in ../shared/asterisk
# beside the clone, then in /work/shared/asterisk. When PREFIX already holds this build it only
# checks the Debian packages; when neither the build nor the sources are there it says so in one
# line and exits 0: the system tier is then skipped (each of its tests says why).
#
# A fresh build takes about 6-13 minutes on 2 cores; PREFIX should be outside the clone so that
# later runs on the same machine reuse it. Needs root (or sudo) for apt-get, only when a
# package is missing. Nothing is written beside the sources.
#
# After it: PREFIX/sbin/asterisk, modules in PREFIX/lib/asterisk/modules, the Debian English
# sounds linked at PREFIX/var/lib/asterisk/sounds/en and music on hold at .../moh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
version=20.20.1
pj_version=2.17
prefix="${1:-${IVR_ASTERISK_HOME:-/opt/asterisk-$version}}"
stamp="$prefix/.ivr-build-$version"
jobs="${ASTERISK_BUILD_JOBS:-$(nproc)}"
say() { echo "install-asterisk: $*" >&2; }

installed() { [ -f "$stamp" ] && [ -x "$prefix/sbin/asterisk" ]; }

sources=""
for dir in "${IVR_ASTERISK_SOURCES:-}" "$repo/../shared/asterisk" /work/shared/asterisk; do
  if [ -n "$dir" ] && [ -f "$dir/asterisk-$version.tar.gz" ] && [ -f "$dir/pjproject-$pj_version.tar.bz2" ]; then
    sources="$(cd "$dir" && pwd)"
    break
  fi
done
if ! installed && [ -z "$sources" ]; then
  say "no Asterisk $version in $prefix and no sources (asterisk-$version.tar.gz, pjproject-$pj_version.tar.bz2; set IVR_ASTERISK_SOURCES): the system tier will be skipped"
  exit 0
fi

packages=(build-essential libedit-dev libjansson-dev libxml2-dev uuid-dev libsqlite3-dev
  libssl-dev pkg-config libncurses-dev libcurl4-openssl-dev libgsm1-dev libsrtp2-dev
  libspeexdsp-dev libogg-dev libvorbis-dev libxslt1-dev bzip2
  asterisk-core-sounds-en-wav asterisk-core-sounds-en-gsm asterisk-moh-opsound-wav sip-tester)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo_cmd=(sudo)
    else
      say "Debian packages missing (${missing[*]}) and no root to install them: the system tier will be skipped"
      exit 0
    fi
  fi
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q >&2
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

if installed; then
  say "Asterisk $version already built in $prefix"
  echo "$prefix"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/asterisk-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
log="$work/build.log"
say "building Asterisk $version from $sources into $prefix (about 6-13 minutes on 2 cores)"
mkdir -p "$work/cache"
cp "$sources/pjproject-$pj_version.tar.bz2" "$work/cache/"
tar -xzf "$sources/asterisk-$version.tar.gz" -C "$work"
fail() { say "$1 failed; last lines of the log:"; tail -n 40 "$log" >&2; exit 1; }
cd "$work/asterisk-$version"
say "configure"
./configure --prefix="$prefix" --with-pjproject-bundled --with-jansson-bundled=no \
  --without-libjwt-bundled --with-externals-cache="$work/cache" >>"$log" 2>&1 || fail configure
make menuselect.makeopts >>"$log" 2>&1 || fail menuselect
menuselect/menuselect --enable app_audiosocket --enable res_audiosocket --enable chan_audiosocket \
  --enable res_agi --disable BUILD_NATIVE \
  --disable-category MENUSELECT_CORE_SOUNDS --disable-category MENUSELECT_MOH \
  --disable-category MENUSELECT_EXTRA_SOUNDS menuselect.makeopts >>"$log" 2>&1 || fail menuselect
say "make -j$jobs"
make -j"$jobs" >>"$log" 2>&1 || fail make
say "make install"
make install >>"$log" 2>&1 || fail "make install"

# Debian's sound packages: /usr/share/asterisk/sounds/en_US_f_Allison and /usr/share/asterisk/moh
data="$prefix/var/lib/asterisk"
mkdir -p "$data/sounds"
[ -L "$data/sounds/en" ] || rm -rf "$data/sounds/en"
ln -sfn /usr/share/asterisk/sounds/en_US_f_Allison "$data/sounds/en"
rm -rf "$data/moh"
ln -sfn /usr/share/asterisk/moh "$data/moh"
"$prefix/sbin/asterisk" -V >&2
date -u +%FT%TZ > "$stamp"
echo "$prefix"
