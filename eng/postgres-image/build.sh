#!/usr/bin/env bash
# Builds the local PostgreSQL 17 image clearway/postgres:17 from Debian packages alone, with no image
# registry: debootstrap a minimal Debian trixie with postgresql-17 into a temporary folder, trim it, and
# `docker import` it with the settings of the official `postgres` image (entrypoint contract in
# docker-entrypoint.sh beside this file).
#
# usage: build.sh [--print-tag] [--force]
#   (none)       build unless clearway/postgres:17-<recipe hash> exists; tag it and clearway/postgres:17
#   --print-tag  print clearway/postgres:17-<recipe hash> and exit (no build, no root needed)
#   --force      rebuild even when the hash tag exists
# The last line of stdout is the image reference (the hash tag); progress goes to stderr.
# Exit status: 0 done, 1 failure, 2 bad arguments.
#
# The Debian mirror is the machine's own: the first `debian` archive (not debian-security) in its apt
# sources (/etc/apt/sources.list, /etc/apt/sources.list.d/*.list and *.sources), unless
# CLEARWAY_DEBIAN_MIRROR names one. Needs root (debootstrap), through `sudo -n` when not root, and a
# running docker daemon.
set -euo pipefail
umask 022

readonly IMAGE_REPO='clearway/postgres'
readonly PG_MAJOR=17
readonly SUITE='trixie'
readonly PGDATA_DIR='/var/lib/postgresql/data'
# Recipe files: their content decides the tag (README.md is not one of them).
readonly RECIPE_FILES=(build.sh docker-entrypoint.sh)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prog='build.sh'

log() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
usage_error() { printf '%s: %s (usage: build.sh [--print-tag] [--force])\n' "$prog" "$*" >&2; exit 2; }

print_tag=0
force=0
orig_args=("$@")
for arg in "$@"; do
	case "$arg" in
		--print-tag) print_tag=1 ;;
		--force) force=1 ;;
		-h|--help)
			sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
			exit 0
			;;
		*) usage_error "unknown argument: $arg" ;;
	esac
done

recipe_hash() {
	(cd "$here" && sha256sum "${RECIPE_FILES[@]}") | sha256sum | cut -c1-12
}
hash="$(recipe_hash)"
tag="$IMAGE_REPO:$PG_MAJOR-$hash"
alias_tag="$IMAGE_REPO:$PG_MAJOR"

if [ "$print_tag" = 1 ]; then
	printf '%s\n' "$tag"
	exit 0
fi

command -v docker >/dev/null 2>&1 || die "docker is not installed"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# The AppHost's default image is postgres:17 (docker.io/library). Where no registry answers, this image stands
# in under that name too, so `dotnet run --project Clearway.AppHost` works as written; a real official image (one
# without our clearway.recipe label) is never shadowed.
tag_default() {
	local default="postgres:$PG_MAJOR" recipe
	recipe="$(docker image inspect -f '{{index .Config.Labels "clearway.recipe"}}' "$default" 2>/dev/null)" \
		|| recipe=absent
	case "$recipe" in
		absent | [0-9a-f]*)
			docker tag "$tag" "$default"
			log "tagged $default too (the AppHost's default image; pulled from nowhere)"
			;;
		*) log "$default is another image (an official one?): left alone" ;;
	esac
}

# The image is there already: point the alias at it and say so.
finish_existing() {
	docker tag "$tag" "$alias_tag"
	tag_default
	log "$tag exists (recipe unchanged); nothing to build"
	printf '%s\n' "$tag"
	exit 0
}

# A no-op needs no root when docker is reachable as this user.
if [ "$force" = 0 ] && [ "$(id -u)" != 0 ] && image_exists "$tag"; then
	finish_existing
fi

if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		log "not root: running again through sudo -n"
		exec sudo -n -- env \
			${CLEARWAY_DEBIAN_MIRROR:+"CLEARWAY_DEBIAN_MIRROR=$CLEARWAY_DEBIAN_MIRROR"} \
			${TMPDIR:+"TMPDIR=$TMPDIR"} \
			bash "$here/build.sh" "${orig_args[@]}"
	fi
	die "must run as root (debootstrap needs it) and 'sudo -n' is not available"
fi

docker info >/dev/null 2>&1 || die "the docker daemon is not reachable ('docker info' failed)"

# One build at a time on this machine; a second caller waits and then finds the image.
if command -v flock >/dev/null 2>&1; then
	exec 9>"${TMPDIR:-/var/tmp}/clearway-postgres-image.lock"
	flock 9
fi

if [ "$force" = 0 ] && image_exists "$tag"; then
	finish_existing
fi

# ---------------------------------------------------------------------------------------------------
# The Debian mirror from the machine's apt sources

# prints "URI<TAB>SUITES" for each deb source of one-line-style file $1
one_line_sources() {
	awk '
		$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
			if (i + 1 <= NF) print $i "\t" $(i + 1)
		}' "$1"
}

# prints "URI<TAB>SUITES" for each enabled deb stanza of deb822-style file $1
deb822_sources() {
	awk '
		function flush(   n, i, u) {
			if (types ~ /(^| )deb( |$)/ && enabled != "no") {
				n = split(uris, u, " ")
				for (i = 1; i <= n; i++) print u[i] "\t" suites
			}
			types = ""; uris = ""; suites = ""; enabled = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		/^[^ \t][^:]*:/ {
			key = tolower(substr($0, 1, index($0, ":") - 1))
			val = substr($0, index($0, ":") + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", val); gsub(/[ \t]+/, " ", val)
			if (key == "types") types = val
			else if (key == "uris") uris = val
			else if (key == "suites") suites = val
			else if (key == "enabled") enabled = tolower(val)
		}
		END { flush() }' "$1"
}

# resolves apt's mirror+file:/path (a file listing mirrors) to its first http(s) URI
resolve_uri() {
	local uri="$1" file
	case "$uri" in
		mirror+file:*)
			file="${uri#mirror+file:}"
			file="${file#//}"
			[ -r "$file" ] || return 0
			awk '$1 ~ /^https?:\/\// { print $1; exit }' "$file"
			;;
		http://*|https://*) printf '%s\n' "$uri" ;;
	esac
}

# prints "URI<TAB>SUITES" for every deb source, in the order apt reads them
all_sources() {
	local f
	if [ -f /etc/apt/sources.list ]; then
		one_line_sources /etc/apt/sources.list
	fi
	for f in /etc/apt/sources.list.d/*; do
		[ -f "$f" ] || continue
		case "$f" in
			*.list) one_line_sources "$f" ;;
			*.sources) deb822_sources "$f" ;;
		esac
	done
}

debian_mirror() {
	if [ -n "${CLEARWAY_DEBIAN_MIRROR:-}" ]; then
		printf '%s\n' "${CLEARWAY_DEBIAN_MIRROR%/}"
		return 0
	fi
	local uri suites resolved
	while IFS=$'\t' read -r uri suites; do
		case " $suites " in *-security\ *) continue ;; esac
		resolved="$(resolve_uri "$uri")"
		resolved="${resolved%/}"
		case "$resolved" in
			*debian-security*) continue ;;
			*/debian) printf '%s\n' "$resolved"; return 0 ;;
		esac
	done < <(LC_ALL=C all_sources)
	return 0
}

mirror="$(debian_mirror)"
[ -n "$mirror" ] || die "no Debian archive (a URI ending in /debian) in the apt sources; set CLEARWAY_DEBIAN_MIRROR"

# ---------------------------------------------------------------------------------------------------
# Build

if ! command -v debootstrap >/dev/null 2>&1 && [ ! -x /usr/sbin/debootstrap ]; then
	log "installing debootstrap (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends debootstrap </dev/null >&2 \
		|| { apt-get update -q </dev/null >&2 && apt-get install -y -q --no-install-recommends debootstrap </dev/null >&2; } \
		|| die "debootstrap is missing and could not be installed"
fi
debootstrap_bin="$(command -v debootstrap 2>/dev/null || echo /usr/sbin/debootstrap)"

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/var/tmp}/clearway-postgres.XXXXXX")"
root="$work/rootfs"
build_log="$work/build.log"
case "$root" in /?*/rootfs) ;; *) die "unexpected rootfs path: $root" ;; esac

# Ends processes still running inside the rootfs, unmounts what is mounted under it, removes it.
cleanup() {
	local rc=$? p m
	trap - EXIT INT TERM HUP
	if [ -n "${work:-}" ] && [ -d "$work" ]; then
		if [ "$rc" != 0 ] && [ -s "$build_log" ]; then
			log "build failed; last lines of the build log:"
			tail -n 40 "$build_log" >&2 || :
		fi
		for p in /proc/[0-9]*; do
			if [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ]; then
				kill -9 "${p#/proc/}" 2>/dev/null || :
			fi
		done
		awk -v w="$work/" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while IFS= read -r m; do
			umount -l "$m" 2>/dev/null || :
		done
		rm -rf --one-file-system "$work" 2>/dev/null || log "could not remove $work entirely"
	fi
	if [ "$rc" != 0 ]; then
		exit 1
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

in_root() {
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
		chroot "$root" "$@"
}

log "building $tag from Debian $SUITE (mirror $mirror) in $work"

log "debootstrap, first stage: download and unpack (minbase + postgresql-$PG_MAJOR)"
"$debootstrap_bin" --foreign --variant=minbase --merged-usr --components=main \
	--include="postgresql-$PG_MAJOR" \
	"$SUITE" "$root" "$mirror" >>"$build_log" 2>&1 \
	|| die "debootstrap (first stage) failed"

# Before the packages are configured: no service may start in the chroot, and postgresql-common must not
# create a default cluster (the entrypoint runs initdb itself).
mkdir -p "$root/usr/sbin" "$root/etc/postgresql-common/createcluster.d"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 0755 "$root/usr/sbin/policy-rc.d"
printf 'create_main_cluster = false\n' >"$root/etc/postgresql-common/createcluster.d/00-clearway-image.conf"

log "debootstrap, second stage: install the packages"
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C \
	chroot "$root" /debootstrap/debootstrap --second-stage >>"$build_log" 2>&1 \
	|| die "debootstrap (second stage) failed"

pg_bin="/usr/lib/postgresql/$PG_MAJOR/bin"
[ -x "$root$pg_bin/postgres" ] || die "$pg_bin/postgres is missing after the install"
pg_version="$(in_root dpkg-query -W -f='${Version}' "postgresql-$PG_MAJOR")"
log "installed postgresql-$PG_MAJOR $pg_version"

log "configuring the image"
# The postgres user and group get uid/gid 999 like the official image's, so data volumes are shared as is.
in_root bash -euo pipefail -s >>"$build_log" 2>&1 <<'EOS' || die "configuring the rootfs failed"
old_uid="$(id -u postgres)"
old_gid="$(id -g postgres)"
if [ "$old_gid" != 999 ]; then
	if getent group 999 >/dev/null; then echo "gid 999 is taken: $(getent group 999)" >&2; exit 1; fi
	groupmod -g 999 postgres
	find / -xdev -gid "$old_gid" -exec chgrp -h 999 '{}' +
fi
if [ "$old_uid" != 999 ]; then
	if getent passwd 999 >/dev/null; then echo "uid 999 is taken: $(getent passwd 999)" >&2; exit 1; fi
	usermod -u 999 -g 999 postgres
	find / -xdev -uid "$old_uid" -exec chown -h 999 '{}' +
fi
usermod -s /bin/bash postgres
id postgres
EOS

# No default cluster may have been left behind (createcluster.d should have prevented it).
rm -rf "$root/etc/postgresql/$PG_MAJOR" "$root/var/lib/postgresql/$PG_MAJOR"

# listen on every address by default, like the official image (initdb copies the sample)
sample="$root/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample"
sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
grep -qF "listen_addresses = '*'" "$sample" || die "could not set listen_addresses in $sample"

install -d -o 999 -g 999 -m 1777 "$root/var/lib/postgresql"
install -d -o 999 -g 999 -m 1777 "$root$PGDATA_DIR"
install -d -o 999 -g 999 -m 3777 "$root/run/postgresql"
install -d -m 0755 "$root/docker-entrypoint-initdb.d"
install -m 0755 "$here/docker-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"

in_root setpriv --version >/dev/null 2>&1 || die "setpriv (util-linux) is missing in the rootfs"

# nothing may stay mounted inside the rootfs (debootstrap unmounts /proc and friends itself)
if awk -v r="$root/" 'index($5, r) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
	die "something is still mounted under $root"
fi

log "trimming"
# keep later installs in the container small too
cat >"$root/etc/dpkg/dpkg.cfg.d/01-clearway-image" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/lib/postgresql/*/lib/llvmjit*
path-exclude=/usr/lib/postgresql/*/lib/bitcode/*
path-exclude=/usr/lib/*/libLLVM*
path-exclude=/usr/lib/*/libz3.so*
EOF
rm -f "$root/usr/sbin/policy-rc.d"
find "$root/usr/share/doc" -mindepth 1 \! -name copyright \! -type d -delete 2>/dev/null || :
find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || :
rm -rf "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
	"$root"/usr/share/lintian "$root"/usr/share/bug \
	"$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
	"$root"/var/lib/dpkg/*-old "$root"/var/cache/ldconfig/* "$root"/debootstrap
find "$root/var/log" -type f -delete
find "$root/usr" -name '__pycache__' -type d -prune -exec rm -rf '{}' + 2>/dev/null || :
# No LLVM JIT (~160 MB: libLLVM and libz3). Without llvmjit.so PostgreSQL silently runs without JIT
# (pg_jit_available() is false); the packages stay registered so apt inside the image is consistent,
# and the dpkg excludes above keep a reinstall from bringing back llvmjit.so without libLLVM.
rm -rf "${root:?}/usr/lib/postgresql/$PG_MAJOR/lib/bitcode" "${root:?}/usr/lib/postgresql/$PG_MAJOR/lib/"llvmjit*
rm -f "${root:?}"/usr/lib/*-linux-gnu/libLLVM* "${root:?}"/usr/lib/*-linux-gnu/libz3.so*
# locale sources (locale-gen input): the image runs in C.UTF-8, which glibc ships compiled
rm -rf "${root:?}/usr/share/i18n"
# the throw-away snakeoil key generated at install time (ssl-cert) must not ship in the image
rm -f "$root/etc/ssl/private/ssl-cert-snakeoil.key" "$root/etc/ssl/certs/ssl-cert-snakeoil.pem"
# docker provides these at run time
rm -rf "${root:?}"/dev/* "${root:?}"/proc/* "${root:?}"/sys/* "${root:?}"/tmp/* "${root:?}"/var/tmp/*
: >"$root/etc/resolv.conf"
printf 'localhost\n' >"$root/etc/hostname"
: >"$root/etc/machine-id" 2>/dev/null || :

log "docker import"
changes=(
	--change "ENV PATH=$pg_bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	--change "ENV LANG=C.UTF-8"
	--change "ENV PG_MAJOR=$PG_MAJOR"
	--change "ENV PG_VERSION=$pg_version"
	--change "ENV PGDATA=$PGDATA_DIR"
	--change "VOLUME $PGDATA_DIR"
	--change "EXPOSE 5432"
	--change 'ENTRYPOINT ["docker-entrypoint.sh"]'
	--change 'CMD ["postgres"]'
	--change "LABEL org.opencontainers.image.title=$IMAGE_REPO org.opencontainers.image.version=$pg_version clearway.recipe=$hash"
)
# STOPSIGNAL is a valid --change from Engine API 1.42 (Docker 23) on; older daemons get it from a
# two-line Dockerfile on top of the imported image (local only: the classic builder pulls nothing).
api="$(docker version -f '{{.Server.APIVersion}}' 2>/dev/null || echo 0)"
if [ "$(printf '%s\n' 1.42 "$api" | sort -V | head -n 1)" = 1.42 ]; then
	changes+=(--change "STOPSIGNAL SIGINT")
	import_tag="$tag"
else
	import_tag="$IMAGE_REPO:import-$hash"
fi
old_id="$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || :)"
tar --numeric-owner -C "$root" -cf - . \
	| docker import "${changes[@]}" -m "debootstrap $SUITE minbase + postgresql-$PG_MAJOR $pg_version" - "$import_tag" >/dev/null \
	|| die "docker import failed"
if [ "$import_tag" != "$tag" ]; then
	printf 'FROM %s\nSTOPSIGNAL SIGINT\n' "$import_tag" \
		| DOCKER_BUILDKIT=0 docker build -q -t "$tag" - >>"$build_log" 2>&1 \
		|| die "adding STOPSIGNAL (docker build) failed"
	docker image rm "$import_tag" >/dev/null
fi
[ "$(docker image inspect -f '{{.Config.StopSignal}}' "$tag")" = SIGINT ] || die "$tag has no STOPSIGNAL SIGINT"
docker tag "$tag" "$alias_tag"
tag_default
new_id="$(docker image inspect -f '{{.Id}}' "$tag")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
	docker image rm "$old_id" >/dev/null 2>&1 || :
fi
# images of earlier recipes are stale now (kept when a container still uses them)
docker image ls --format '{{.Repository}}:{{.Tag}}' "$IMAGE_REPO" | grep -E "^$IMAGE_REPO:$PG_MAJOR-[0-9a-f]{12}\$" \
	| grep -vxF "$tag" | while IFS= read -r stale; do
		if docker image rm "$stale" >/dev/null 2>&1; then log "removed the stale $stale"; fi
	done || :

size="$(docker image ls --format '{{.Size}}' "$tag" | head -n 1)"
log "built $tag (also $alias_tag), PostgreSQL $pg_version, $size, in $((SECONDS - started)) s"
printf '%s\n' "$tag"
