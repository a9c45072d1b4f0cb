#!/bin/sh
# Installs what alloctop needs to build and test on Debian 12, then
# generates ./configure.  Run as root (CI does); idempotent.
set -eu
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential autoconf automake libtool pkg-config \
	libncurses-dev libunwind-dev libcyaml-dev libyaml-dev libdw-dev libelf-dev \
	python3 tmux sqlite3 git procps file >/dev/null
autoreconf -fi
