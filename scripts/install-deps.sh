#!/bin/sh
# Installs the Debian packages that building and testing libfeedback need,
# when any is missing. As root it runs apt-get itself; otherwise it prints
# the exact command to run and stops, so `make` never half-builds.
set -eu

packages="gcc g++ clang libclang-rt-14-dev make cmake pkg-config zlib1g-dev libdeflate-dev libcmocka-dev libavro-dev python3 python3-dev python3-numpy python3-pandas python3-scipy python3-statsmodels python3-pytest python3-matplotlib swig lua5.4 liblua5.4-dev wamerican wbritish-large hunspell-ru hunspell-tools"

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -z "$missing" ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing packages:$missing" >&2
    echo "install-deps: this is not a Debian-like system (no apt-get); install their equivalents by hand." >&2
    exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages:$missing" >&2
    echo "install-deps: run this as root, then run make again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086  # one word per package
apt-get install -y -q --no-install-recommends $missing
