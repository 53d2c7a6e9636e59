#!/usr/bin/env bash
# Entrypoint of the clearway/postgres:17 image (built by eng/postgres-image/build.sh from Debian packages).
#
# It keeps the contract of the official `postgres` image, which .NET Aspire's AddPostgres relies on:
#   POSTGRES_PASSWORD       superuser password; required on first init unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_USER           superuser name (default: postgres)
#   POSTGRES_DB             database created on first init (default: $POSTGRES_USER)
#   POSTGRES_INITDB_ARGS    extra initdb arguments, split like a shell command line
#   POSTGRES_INITDB_WALDIR  optional separate WAL directory
#   POSTGRES_HOST_AUTH_METHOD  method of the "host all all all" line appended to pg_hba.conf
#                           (default: the server's password_encryption, i.e. scram-sha-256)
#   *_FILE                  POSTGRES_PASSWORD_FILE, POSTGRES_USER_FILE, POSTGRES_DB_FILE, POSTGRES_INITDB_ARGS_FILE
#                           read the value from a file (Docker secrets)
#   PGDATA                  data directory (default: /var/lib/postgresql/data, the image's volume)
# On first start only (no $PGDATA/PG_VERSION yet) it runs initdb, creates POSTGRES_DB and runs
# /docker-entrypoint-initdb.d/* in name order (*.sh executed if executable, else sourced; *.sql,
# *.sql.gz, *.sql.xz, *.sql.zst fed to psql) against a temporary socket-only server. Then it execs the
# server as the postgres user in the foreground (PID 1, so `docker stop`'s SIGINT is a fast shutdown).
# Arguments: `postgres -c key=value ...`; a first argument starting with '-' gets `postgres` put before it;
# any other command is simply exec'd.
set -Eeo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# usage: file_env VAR [DEFAULT]: VAR from $VAR, else from the file named by $VAR_FILE, else DEFAULT.
file_env() {
	local var="$1" file_var="${1}_FILE" def="${2:-}" val
	if [ -n "${!var:-}" ] && [ -n "${!file_var:-}" ]; then
		printf >&2 'error: both %s and %s are set (they are exclusive)\n' "$var" "$file_var"
		exit 1
	fi
	val="$def"
	if [ -n "${!var:-}" ]; then
		val="${!var}"
	elif [ -n "${!file_var:-}" ]; then
		val="$(<"${!file_var}")"
	fi
	export "$var"="$val"
	unset "$file_var"
}

# true when this file is being sourced (so an init script can reuse its functions)
_is_sourced() {
	[ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[0]}" = '_is_sourced' ] && [ "${FUNCNAME[1]}" = 'source' ]
}

docker_setup_env() {
	file_env 'POSTGRES_PASSWORD'
	file_env 'POSTGRES_USER' 'postgres'
	file_env 'POSTGRES_DB' "$POSTGRES_USER"
	file_env 'POSTGRES_INITDB_ARGS'
	: "${POSTGRES_HOST_AUTH_METHOD:=}"

	declare -g DATABASE_ALREADY_EXISTS=
	# PG_VERSION is what marks an initialised data directory
	if [ -s "$PGDATA/PG_VERSION" ]; then
		DATABASE_ALREADY_EXISTS='true'
	fi
}

# Create PGDATA (mode 0700), the socket directory and the WAL directory; when root, hand them to postgres
# (a fresh named volume is an empty root-owned directory).
docker_create_db_directories() {
	local uid
	uid="$(id -u)"

	mkdir -p "$PGDATA"
	# may fail when not root on a directory we do not own; PostgreSQL then says what is wrong
	chmod 0700 "$PGDATA" || :

	mkdir -p /var/run/postgresql || :
	chmod 3775 /var/run/postgresql || :

	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		mkdir -p "$POSTGRES_INITDB_WALDIR"
		if [ "$uid" = '0' ]; then
			find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres '{}' +
		fi
		chmod 0700 "$POSTGRES_INITDB_WALDIR"
	fi

	if [ "$uid" = '0' ]; then
		find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
		find /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
	fi
}

docker_verify_minimum_env() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ 'trust' != "$POSTGRES_HOST_AUTH_METHOD" ]; then
		cat >&2 <<-'EOE'
			Error: Database is uninitialized and superuser password is not specified.
			       Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value, e.g.
			       "-e POSTGRES_PASSWORD=password" on "docker run".
			       POSTGRES_HOST_AUTH_METHOD=trust allows every connection without a password
			       instead (not recommended).
		EOE
		exit 1
	fi
	if [ 'trust' = "$POSTGRES_HOST_AUTH_METHOD" ]; then
		cat >&2 <<-'EOW'
			WARNING: POSTGRES_HOST_AUTH_METHOD is "trust": anyone who can reach the PostgreSQL port
			         can connect as any user without a password, even though POSTGRES_PASSWORD is set.
		EOW
	fi
}

# initdb with the superuser and password from the environment; POSTGRES_INITDB_ARGS and this function's
# arguments are passed on.
docker_init_database_dir() {
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
	fi
	# --pwfile rejects an empty file, hence the newline. POSTGRES_INITDB_ARGS is split like a shell
	# command line (quotes honoured), as the official image does.
	eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "$@"'
}

# Append the "host all all all <method>" line; arguments are the server's (for password_encryption).
pg_setup_hba_conf() {
	if [ "${1:-}" = 'postgres' ]; then
		shift
	fi
	local auth
	auth="$(postgres -C password_encryption "$@" 2>/dev/null)" || auth='scram-sha-256'
	: "${POSTGRES_HOST_AUTH_METHOD:=${auth:-scram-sha-256}}"
	{
		printf '\n'
		if [ 'trust' = "$POSTGRES_HOST_AUTH_METHOD" ]; then
			printf '# warning: trust is enabled for all connections (POSTGRES_HOST_AUTH_METHOD=trust)\n'
		fi
		printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
	} >> "$PGDATA/pg_hba.conf"
}

# usage: docker_process_sql [psql arguments]: psql over the local socket as POSTGRES_USER on POSTGRES_DB
#    ie: docker_process_sql -f my-file.sql
#    ie: docker_process_sql --dbname=mydb <<<'INSERT ...'
docker_process_sql() {
	local query_runner=( psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc )
	if [ -n "$POSTGRES_DB" ]; then
		query_runner+=( --dbname "$POSTGRES_DB" )
	fi
	PGHOST= PGHOSTADDR= "${query_runner[@]}" "$@"
}

# create POSTGRES_DB unless it exists (initdb always makes "postgres")
docker_setup_db() {
	local exists
	exists="$(
		POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
			SELECT 1 FROM pg_database WHERE datname = :'db' ;
		EOSQL
	)"
	if [ -z "$exists" ]; then
		POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
		printf '\n'
	fi
}

# usage: docker_process_init_files [file ...]: run initialisation files by extension
docker_process_init_files() {
	# for init scripts written for the official image, which use "${psql[@]}"
	psql=( docker_process_sql )

	printf '\n'
	local f
	for f; do
		[ -e "$f" ] || continue
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					printf '%s: running %s\n' "$0" "$f"
					"$f"
				else
					printf '%s: sourcing %s\n' "$0" "$f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql)     printf '%s: running %s\n' "$0" "$f"; docker_process_sql -f "$f"; printf '\n' ;;
			*.sql.gz)  printf '%s: running %s\n' "$0" "$f"; gunzip -c "$f" | docker_process_sql; printf '\n' ;;
			*.sql.xz)  printf '%s: running %s\n' "$0" "$f"; xzcat "$f" | docker_process_sql; printf '\n' ;;
			*.sql.zst) printf '%s: running %s\n' "$0" "$f"; zstd -dc "$f" | docker_process_sql; printf '\n' ;;
			*)         printf '%s: ignoring %s\n' "$0" "$f" ;;
		esac
		printf '\n'
	done
}

# temporary server on the unix socket only (no TCP), for initialisation; arguments are the server's
docker_temp_server_start() {
	if [ "${1:-}" = 'postgres' ]; then
		shift
	fi
	set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
	NOTIFY_SOCKET= \
	PGUSER="${PGUSER:-$POSTGRES_USER}" \
	pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

docker_temp_server_stop() {
	PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

# true when the arguments ask postgres for help or a version (then no setup is wanted)
_pg_want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?'|--help|--describe-config|-V|--version) return 0 ;;
		esac
	done
	return 1
}

_main() {
	# a first argument that looks like a flag is meant for the server
	if [ "${1:0:1}" = '-' ]; then
		set -- postgres "$@"
	fi

	if [ "${1:-}" = 'postgres' ] && ! _pg_want_help "$@"; then
		docker_setup_env
		docker_create_db_directories
		if [ "$(id -u)" = '0' ]; then
			# run this script again as the postgres user (setpriv: util-linux, no gosu needed)
			export HOME=/var/lib/postgresql
			exec setpriv --reuid=postgres --regid=postgres --init-groups -- "${BASH_SOURCE[0]}" "$@"
		fi

		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			docker_verify_minimum_env

			# fail now, not half-way, when the init folder cannot be read
			ls /docker-entrypoint-initdb.d/ > /dev/null

			docker_init_database_dir
			pg_setup_hba_conf "$@"

			# psql needs the password when POSTGRES_INITDB_ARGS asks for password auth on the socket too
			# (Aspire passes --auth-local=scram-sha-256)
			export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
			docker_temp_server_start "$@"

			docker_setup_db
			docker_process_init_files /docker-entrypoint-initdb.d/*

			docker_temp_server_stop
			unset PGPASSWORD

			printf '\nPostgreSQL init process complete; ready for start up.\n\n'
		else
			printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
		fi
	fi

	exec "$@"
}

if ! _is_sourced; then
	_main "$@"
fi
